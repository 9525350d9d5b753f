package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/store"
	"noctop/ui"
)

func newRenewalsCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	var stateDir, within string
	cmd := &cobra.Command{
		Use:   "renewals",
		Short: "The lifecycle register: warranty, EOL, support, licence and certificate dates; exit 0/1/2 like check",
		Long: `renewals prints every lifecycle date of the config's assets (warranty_end, eol,
eos, licence_expiry) and every certificate the monitor's tls and https checks
last saw (read from the store, beside a running monitor), soonest first, with
days left and status: WARNING within renewal_warn (default 90d), CRITICAL within
renewal_crit (default 30d) or past. Dates count in whole days of this machine's
time zone. --within keeps the items due within that span (past ones included).

Exit code: 0 nothing listed is due, 1 the worst is WARNING, 2 something is
CRITICAL (within renewal_crit or past), 3 the config or the store could not be
read. Without a database the certificates are left out, with a note.`,
		Example: `  noctop renewals                 # the whole register
  noctop renewals --within 180d   # what is due in the next six months
  noctop renewals --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var span time.Duration
			if within != "" {
				d, err := model.ParseDuration(within)
				if err != nil || d <= 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "noctop: renewals: --within %q: want a duration such as 90d or 180d\n", within)
					return exitError{code: 3}
				}
				span = d
			}
			cfg, _, err := loadConfig(cmd.Context(), cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			certs, supplies, err := storedRegister(cmd.Context(), stateDir, cfg)
			switch {
			case errors.Is(err, store.ErrNoDatabase):
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: renewals: certificates not listed: %v\n", err)
			case err != nil:
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: renewals: %v\n", err)
				return exitError{code: 3}
			}
			rep := newRenewalReport(cfg, certs, supplies, time.Now(), span)
			if asJSON {
				err = writeReportJSON(cmd.OutOrStdout(), rep)
			} else {
				err = writeRenewalsTable(cmd.OutOrStdout(), rep)
			}
			if err != nil {
				return err
			}
			switch rep.Status {
			case model.StatusCritical:
				return exitError{code: 2}
			case model.StatusWarning:
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().StringVar(&within, "within", "", "list only what is due within this span (90d, 180d, ...); default everything")
	cmd.Flags().StringVar(&stateDir, "state-dir", "", "directory of the database (noctop.db); overrides state_dir")
	return cmd
}

// storedRegister reads the certificates and the low printer supplies the
// monitor registered, by asset.
func storedRegister(ctx context.Context, stateDir string, cfg *model.Config) (map[string][]model.StoredCert, map[string][]model.StoredSupply, error) {
	path, err := databasePath(stateDir, cfg)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.OpenReadOnly(ctx, path, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	certs, err := st.SeenCerts(ctx)
	if err != nil {
		return nil, nil, err
	}
	supplies, err := st.SeenSupplies(ctx)
	return certs, supplies, err
}

// renewalReport is what `noctop renewals` prints; its JSON shape is
// documented in README.md.
type renewalReport struct {
	At         time.Time     `json:"at"`
	WithinDays *int          `json:"within_days"` // null: everything
	Status     model.Status  `json:"status"`      // the worst item's, OK for none
	Items      []renewalItem `json:"items"`
}

type renewalItem struct {
	Asset  string       `json:"asset"`
	Kind   string       `json:"kind"` // warranty, eol, eos, licence, certificate, consumable
	What   string       `json:"what"`
	Date   string       `json:"date"` // YYYY-MM-DD, local
	Days   int          `json:"days_left"`
	Status model.Status `json:"status"`
	Owner  string       `json:"owner"`
	Check  string       `json:"check,omitempty"`
	Cert   *model.Cert  `json:"certificate,omitempty"`
	Level  *float64     `json:"level_pct,omitempty"` // a consumable's
}

// newRenewalReport judges the config's dates and the stored certificates
// at now in the local zone, soonest first; span > 0 keeps those due
// within it.
func newRenewalReport(cfg *model.Config, certs map[string][]model.StoredCert, supplies map[string][]model.StoredSupply, now time.Time, span time.Duration) *renewalReport {
	now = now.Local()
	rep := &renewalReport{At: now, Status: model.StatusOK, Items: []renewalItem{}}
	if span > 0 {
		d := int(span / (24 * time.Hour))
		rep.WithinDays = &d
	}
	var all []model.Renewal
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		lim := cfg.RenewalLimits(a)
		items := model.LifecycleRenewals(a, now.Location())
		owner := ""
		if a.Lifecycle != nil {
			owner = a.Lifecycle.Owner
		}
		for j := range certs[a.Name] {
			sc := &certs[a.Name][j]
			items = append(items, model.CertRenewal(a.Name, owner, sc.Check, &sc.Cert))
		}
		for k := range items {
			items[k].Judge(now, lim)
		}
		for _, ss := range supplies[a.Name] {
			items = append(items, model.SupplyRenewal(a.Name, owner, ss.Check, ss.Supply, now))
		}
		all = append(all, items...)
	}
	model.SortRenewals(all)
	for _, r := range all {
		if span > 0 && r.Date.Sub(now) > span {
			continue
		}
		rep.Status = model.Worst(rep.Status, r.Status)
		rep.Items = append(rep.Items, renewalItem{
			Asset: r.Asset, Kind: r.Kind, What: r.Label, Date: r.Date.In(now.Location()).Format(time.DateOnly),
			Days: r.Days, Status: r.Status, Owner: r.Owner, Check: r.Check, Cert: r.Cert,
		})
		if r.Kind == model.RenewalConsumable {
			lv := r.Level
			rep.Items[len(rep.Items)-1].Level = &lv
			rep.Items[len(rep.Items)-1].What = r.Text()
		}
	}
	return rep
}

// writeRenewalsTable writes the register as aligned columns, names
// escaped as on the dashboard.
func writeRenewalsTable(w io.Writer, rep *renewalReport) error {
	out := bufio.NewWriter(w)
	if len(rep.Items) == 0 {
		fmt.Fprintln(out, "nothing in the register is due in this period")
		return out.Flush()
	}
	rows := [][]string{{"STATUS", "DAYS", "DATE", "ASSET", "WHAT", "OWNER"}}
	for _, it := range rep.Items {
		what := it.What
		if it.Check != "" {
			what += " (" + it.Check + ")"
		}
		rows = append(rows, []string{it.Status.Symbol() + " " + it.Status.String(), fmt.Sprint(it.Days), it.Date,
			ui.Clean(it.Asset), ui.Clean(what), ui.Clean(it.Owner)})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i == 1 { // days: right-aligned
				line.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)) + c + "  ")
				continue
			}
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(out, strings.TrimRight(line.String(), " "))
	}
	return out.Flush()
}
