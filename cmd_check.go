package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/ui"
)

func newCheckCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run every check once and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or bad config",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, note, err := loadConfig(cmd.Context(), cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			if note != "" { // on stderr: the table or JSON stays what scripts parse
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: no config found (looked at %s): checking this host only; %s\n", configSearch, writeConfigHint)
			}
			m := newMonitor(cfg, true)
			defer m.close()
			snap, err := m.once(cmd.Context())
			if err != nil {
				if cmd.Context().Err() != nil {
					err = context.Cause(cmd.Context()) // "received SIGINT"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: check interrupted: %v\n", err)
				return exitError{code: 3}
			}
			rep := newCheckReport(cfg, snap, string(m.set.ICMPMode()))
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				out := colorprofile.NewWriter(cmd.OutOrStdout(), os.Environ())
				writeCheckTable(out, rep)
			}
			if code := rep.exitCode(); code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// checkReport is the JSON shape of `noctop check --json` (DESIGN.md).
type checkReport struct {
	Status    model.Status    `json:"status"`
	CheckedAt time.Time       `json:"checked_at"`
	Config    string          `json:"config"`
	ICMPMode  string          `json:"icmp_mode"`
	Tally     model.Tally     `json:"tally"`
	Assets    []assetReport   `json:"assets"`
	Services  []serviceReport `json:"services"`
}

type assetReport struct {
	Name      string        `json:"name"`
	Layer     string        `json:"layer"`
	Kind      string        `json:"kind,omitempty"`
	Address   string        `json:"address,omitempty"`
	Status    model.Status  `json:"status"`
	RootCause string        `json:"root_cause,omitempty"`
	Role      model.Role    `json:"role,omitempty"`
	Reason    string        `json:"reason,omitempty"`
	Checks    []checkResult `json:"checks"`
}

type checkResult struct {
	Type       string             `json:"type"`
	Name       string             `json:"name"`
	Status     model.Status       `json:"status"`
	Summary    string             `json:"summary"`
	Metrics    map[string]float64 `json:"metrics"`
	Attrs      map[string]string  `json:"attrs,omitempty"`
	DurationMS float64            `json:"duration_ms"`
	// Primary names the metric that sums up the check; Units gives the
	// unit of each metric from its declaration (none for plain numbers and
	// codes).
	Primary string            `json:"primary"`
	Units   map[string]string `json:"units"`
	// Tables, in full (cmd_check_tables.go).
	Interfaces []interfaceRow `json:"interfaces,omitempty"`
	Host       *hostGauges    `json:"host,omitempty"`
}

type serviceReport struct {
	Name   string       `json:"name"`
	Rule   string       `json:"rule"`
	Status model.Status `json:"status"`
	Reason string       `json:"reason,omitempty"`
	Up     int          `json:"up"`
	Total  int          `json:"total"`
}

func newCheckReport(cfg *model.Config, s *model.Snapshot, icmpMode string) checkReport {
	rep := checkReport{CheckedAt: s.At.UTC().Truncate(time.Second), Config: configLabel(cfg), ICMPMode: icmpMode, Tally: s.Tally}
	statuses := make([]model.Status, 0, len(s.Assets))
	for _, a := range s.Assets {
		ar := assetReport{Name: a.Name, Layer: a.Layer, Kind: a.Kind, Address: a.Address,
			Status: a.Status, RootCause: a.RootCause, Role: a.Role, Reason: a.Reason, Checks: []checkResult{}}
		for _, c := range a.Checks {
			metrics := finiteMetrics(c.Metrics)
			ar.Checks = append(ar.Checks, checkResult{Type: c.Type, Name: c.Name, Status: c.Status,
				Summary: c.Summary, Metrics: metrics, Primary: c.Primary, Units: metricUnits(c, metrics), Attrs: c.Attrs,
				DurationMS: float64(c.Duration) / float64(time.Millisecond),
				Interfaces: interfaceRows(c.Interfaces), Host: newHostGauges(c.Host)})
		}
		rep.Assets = append(rep.Assets, ar)
		statuses = append(statuses, a.Status)
	}
	for _, v := range s.Services {
		rep.Services = append(rep.Services, serviceReport{Name: v.Name, Rule: v.Rule,
			Status: v.Status, Reason: v.Reason, Up: v.Up, Total: v.Total})
	}
	if rep.Assets == nil {
		rep.Assets = []assetReport{}
	}
	if rep.Services == nil {
		rep.Services = []serviceReport{}
	}
	rep.Status = [...]model.Status{model.StatusOK, model.StatusWarning, model.StatusCritical, model.StatusUnknown}[model.ExitCode(statuses)]
	return rep
}

func (r checkReport) exitCode() int {
	switch r.Status {
	case model.StatusWarning:
		return 1
	case model.StatusCritical:
		return 2
	case model.StatusUnknown:
		return 3
	}
	return 0
}

// statusCell is "✗ CRITICAL": the symbol carries the meaning without colour.
func statusCell(s model.Status) string { return s.Symbol() + " " + s.String() }

type tableRow struct {
	status model.Status
	cells  []string
}

func writeCheckTable(w io.Writer, rep checkReport) {
	paint := ui.StatusPainter(true)
	fmt.Fprintf(w, "noctop check: %s, icmp %s, %s\n\n", ui.Clean(rep.Config), rep.ICMPMode, rep.CheckedAt.Format(time.RFC3339))
	var rows []tableRow
	for _, a := range rep.Assets {
		for _, c := range a.Checks {
			st, summary := c.Status, c.Summary
			if a.Status == model.StatusUnreachable {
				st, summary = model.StatusUnreachable, summary+" (root cause "+a.RootCause+")"
			}
			rows = append(rows, tableRow{st, []string{statusCell(st), a.Name, c.Name, summary}})
		}
	}
	slices.SortStableFunc(rows, func(x, y tableRow) int { return cmp.Compare(y.status.Severity(), x.status.Severity()) })
	writeTable(w, paint, []string{"STATUS", "ASSET", "CHECK", "SUMMARY"}, rows)
	if len(rep.Services) > 0 {
		fmt.Fprintln(w)
		rows = rows[:0]
		for _, v := range rep.Services {
			rows = append(rows, tableRow{v.Status, []string{statusCell(v.Status), v.Name, v.Rule,
				fmt.Sprintf("%d/%d up", v.Up, v.Total), v.Reason}})
		}
		writeTable(w, paint, []string{"STATUS", "SERVICE", "RULE", "MEMBERS", "REASON"}, rows)
	}
	fmt.Fprintf(w, "\nworst: %s (exit %d): %s\n", paint(rep.Status, statusCell(rep.Status)), rep.exitCode(), rep.Tally)
}

// writeTable aligns columns by display width (wide and combining characters
// count right); the last column is not padded.
func writeTable(w io.Writer, paint func(model.Status, string) string, header []string, rows []tableRow) {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = ansi.StringWidth(h)
	}
	for _, r := range rows {
		for i := range r.cells {
			r.cells[i] = ui.Clean(r.cells[i])
			widths[i] = max(widths[i], ansi.StringWidth(r.cells[i]))
		}
	}
	line := func(cells []string, st *model.Status) {
		var b strings.Builder
		for i, c := range cells {
			text := c
			if i < len(cells)-1 {
				text += strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2)
			}
			if i == 0 && st != nil {
				text = paint(*st, text)
			}
			b.WriteString(text)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(header, nil)
	for _, r := range rows {
		line(r.cells, &r.status)
	}
}
