package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime/debug"
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
			defer oneShotGC()()
			releaseStartupPages()
			// Each asset's checks are prepared as the config is read
			// (newOneShotMonitor): at 10,000 assets the config's checks
			// were 6 MB held until the load ended.
			var m *monitor
			defer func() {
				if m != nil {
					m.close()
				}
			}()
			cfg, note, err := loadConfigEach(cmd.Context(), cmd.ErrOrStderr(), g.configPath, func(cfg *model.Config, a *model.Asset) {
				if m == nil {
					m = newOneShotMonitor(cfg)
				}
				m.shot.Add(a)
			})
			if err != nil {
				return exitError{code: 3}
			}
			if note != "" { // on stderr: the table or JSON stays what scripts parse
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: no config found (looked at %s): checking this host only; %s\n", configSearch, writeConfigHint)
			}
			if m == nil { // the built-in config, or one without assets
				m = newOneShotMonitor(cfg)
				for i := range cfg.Assets {
					m.shot.Add(&cfg.Assets[i])
				}
			}
			m.seal(cfg)
			snap, err := m.once(cmd.Context())
			if err != nil {
				if cmd.Context().Err() != nil {
					err = context.Cause(cmd.Context()) // "received SIGINT"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: check interrupted: %v\n", err)
				return exitError{code: 3}
			}
			run := newCheckRun(cfg, snap, m.shot.Assets(), string(m.set.ICMPMode()))
			if asJSON {
				if err := writeCheckJSON(cmd.OutOrStdout(), run); err != nil {
					return err
				}
			} else {
				out := colorprofile.NewWriter(cmd.OutOrStdout(), os.Environ())
				if err := writeCheckTable(out, run); err != nil {
					return err
				}
			}
			if code := run.exitCode(); code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// oneShotGCPercent is the GOGC of check and validate. A run that ends at
// once trades a little CPU for a lower peak: the heap grows by a fifth of
// its live size between collections instead of all of it (BENCHMARKS.md:
// check of 10,000 ICMP assets, 30 gave 1.5-2 MiB more for ~0.02 CPU-s
// less; validate of that config 24.0-24.7 MiB at 100, 22.1-23.0 at 20,
// 0.05 CPU-s either way).
const oneShotGCPercent = 20

// oneShotGC sets oneShotGCPercent unless GOGC says otherwise (the user's
// setting wins) and returns what restores it.
func oneShotGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(oneShotGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// checkRun is one check run to print: the final snapshot, its assets and
// what the report says about it. The report is written asset by asset
// (cmd_check_json.go, cmd_check_table.go), each asset's state built as it
// is read (model.Engine.Assets): at 10,000 assets an in-memory document
// cost 40 MB, the snapshot's copies 6 MB.
type checkRun struct {
	snap *model.Snapshot // the head: tally, services; not its Assets
	// assets yields the assets in config order; it may be walked more than
	// once.
	assets   iter.Seq[*model.AssetState]
	config   string
	icmpMode string
	at       time.Time
	status   model.Status // the worst asset's, as the exit code says
}

func newCheckRun(cfg *model.Config, s *model.Snapshot, assets iter.Seq[*model.AssetState], icmpMode string) *checkRun {
	var seen []model.Status // the assets' statuses, from the counts: no walk
	for _, st := range model.Statuses() {
		if s.Count(st) > 0 {
			seen = append(seen, st)
		}
	}
	status := [...]model.Status{model.StatusOK, model.StatusWarning, model.StatusCritical, model.StatusUnknown}[model.ExitCode(seen)]
	return &checkRun{snap: s, assets: assets, config: configLabel(cfg), icmpMode: icmpMode, at: s.At.UTC().Truncate(time.Second), status: status}
}

func (r *checkRun) exitCode() int {
	switch r.status {
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

// writeCheckTable writes the run as text: one row per check, worst first,
// then the services. Rows are not held: a first walk sizes the columns,
// then each severity present is written in turn, worst first (the order a
// stable sort by severity gives).
func writeCheckTable(w io.Writer, r *checkRun) error {
	out := bufio.NewWriterSize(w, 64<<10)
	paint := ui.StatusPainter(true)
	fmt.Fprintf(out, "noctop check: %s, icmp %s, %s\n\n", ui.Clean(r.config), r.icmpMode, r.at.Format(time.RFC3339))
	writeTable(out, paint, []string{"STATUS", "ASSET", "CHECK", "SUMMARY"}, r.checkRows)
	if len(r.snap.Services) > 0 {
		fmt.Fprintln(out)
		writeTable(out, paint, []string{"STATUS", "SERVICE", "RULE", "MEMBERS", "REASON"}, r.serviceRows)
	}
	fmt.Fprintf(out, "\nworst: %s (exit %d): %s\n", paint(r.status, statusCell(r.status)), r.exitCode(), r.snap.Tally)
	return out.Flush()
}

// checkRows calls fn with each check whose row status passes keep, in
// snapshot order. cells is reused from row to row.
func (r *checkRun) checkRows(keep func(model.Status) bool, fn func(st model.Status, cells []string)) {
	cells := make([]string, 4)
	for a := range r.assets {
		for _, c := range a.Checks {
			st, summary := c.Status, c.Summary
			switch {
			case a.Status == model.StatusUnreachable:
				st, summary = model.StatusUnreachable, summary+" (root cause "+a.RootCause+")"
			case a.Maintenance != nil:
				st, summary = model.StatusMaintenance, fmt.Sprintf("%s (%s, in maintenance until %s)", summary, c.Status, a.Maintenance.Until.Format("2006-01-02 15:04 MST"))
			}
			if keep(st) {
				cells[0], cells[1], cells[2], cells[3] = statusCell(st), a.Name, c.Name, summary
				fn(st, cells)
			}
		}
	}
}

func (r *checkRun) serviceRows(keep func(model.Status) bool, fn func(st model.Status, cells []string)) {
	cells := make([]string, 5)
	for _, v := range r.snap.Services {
		if keep(v.Status) {
			cells[0], cells[1], cells[2], cells[3], cells[4] = statusCell(v.Status), v.Name, v.Rule, fmt.Sprintf("%d/%d up", v.Up, v.Total), v.Reason
			fn(v.Status, cells)
		}
	}
}

// writeTable aligns columns by display width (wide and combining characters
// count right); the last column is not padded. rows is walked once to size
// the columns and once per severity present.
func writeTable(w *bufio.Writer, paint func(model.Status, string) string, header []string,
	rows func(keep func(model.Status) bool, fn func(model.Status, []string))) {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = ansi.StringWidth(h)
	}
	var severities []int
	rows(func(model.Status) bool { return true }, func(st model.Status, cells []string) {
		for i, c := range cells {
			widths[i] = max(widths[i], ansi.StringWidth(ui.Clean(c)))
		}
		if !slices.Contains(severities, st.Severity()) {
			severities = append(severities, st.Severity())
		}
	})
	slices.Sort(severities)
	slices.Reverse(severities)
	var line []byte
	write := func(cells []string, st *model.Status) {
		line = line[:0]
		for i, c := range cells {
			c = ui.Clean(c)
			text := c
			if i < len(cells)-1 {
				text += strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2)
			}
			if i == 0 && st != nil {
				text = paint(*st, text)
			}
			line = append(line, text...)
		}
		w.Write(bytes.TrimRight(line, " "))
		w.WriteByte('\n')
	}
	write(header, nil)
	for _, sev := range severities {
		rows(func(st model.Status) bool { return st.Severity() == sev }, func(st model.Status, cells []string) { write(cells, &st) })
	}
}
