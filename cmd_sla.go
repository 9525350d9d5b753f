package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"noctop/model"
)

// slaEventLimit bounds the events `noctop sla` reads (the newest are kept);
// the oldest read then marks where measuring starts.
const slaEventLimit = 1_000_000

// slaGCPercent is sla's GOGC. Nearly all it allocates is the events it
// reads, live until the report is made, so collections while the heap grows
// find little to free: at 400, 30 days of 1,000 assets' changes took 0.13 s
// instead of 0.16-0.23 s, for the same peak (BENCHMARKS.md, store).
const slaGCPercent = 400

func newSLACmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	var stateDir string
	window := "30d"
	cmd := &cobra.Command{
		Use:   "sla",
		Short: "Availability of every service and asset from the store; exit 1 when a service is below its sla",
		Long: `sla reads the hard state changes the monitor stored and prints the availability
of every service and asset over the window (default 30d), with their outages.
CRITICAL is down; OK and WARNING are up; UNREACHABLE (the root cause's outage),
UNKNOWN, PENDING and MAINTENANCE are not measured. It reads the store while a
monitor runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if os.Getenv("GOGC") == "" { // the user's setting wins
				defer debug.SetGCPercent(debug.SetGCPercent(slaGCPercent))
			}
			w, err := model.ParseDuration(window)
			if err != nil || w <= 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: sla: --window %q: want a duration such as 24h, 7d or 30d\n", window)
				return exitError{code: 3}
			}
			cfg, _, err := loadConfig(cmd.Context(), cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			arch, closer, err := openArchive(cmd.Context(), stateDir, cfg)
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: sla: %v\n", err)
				return exitError{code: 3}
			}
			defer closer.Close()
			rep, err := slaFromArchive(cmd.Context(), cfg, arch, w, time.Now())
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: sla: %v\n", err)
				return exitError{code: 3}
			}
			if asJSON {
				err = writeReportJSON(cmd.OutOrStdout(), rep)
			} else {
				err = writeSLATable(cmd.OutOrStdout(), rep)
			}
			if err != nil {
				return err
			}
			if rep.Breached > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().StringVar(&window, "window", window, "the period ending now (24h, 7d, 30d, ...)")
	cmd.Flags().StringVar(&stateDir, "state-dir", "", "directory of the database (noctop.db); overrides state_dir")
	return cmd
}

// slaReport is what `noctop sla` prints.
type slaReport struct {
	At       time.Time    `json:"at"`
	Window   string       `json:"window"`
	Since    time.Time    `json:"known_since"` // the oldest event read: nothing is known before
	Services []slaSubject `json:"services"`
	Assets   []slaSubject `json:"assets"`
	Breached int          `json:"services_below_sla"`
}

// slaSubject is one service's or asset's figures.
type slaSubject struct {
	Name      string      `json:"name"`
	Percent   jsonNum     `json:"availability_pct"` // null: nothing measured
	SLA       float64     `json:"sla_pct,omitempty"`
	Below     bool        `json:"below_sla,omitempty"`
	DownS     float64     `json:"down_s"`
	MeasuredS float64     `json:"measured_s"`
	Outages   []slaOutage `json:"outages"`

	av model.Availability
}

type slaOutage struct {
	Start     time.Time    `json:"start"`
	End       time.Time    `json:"end"`
	Open      bool         `json:"open"`
	DurationS float64      `json:"duration_s"`
	Status    model.Status `json:"status"`
}

// slaFromArchive reads the hard state events from the store and computes
// the report.
func slaFromArchive(ctx context.Context, cfg *model.Config, arch model.Archive, window time.Duration, now time.Time) (*slaReport, error) {
	if r, ok := arch.(slaHistoryReader); ok {
		h, err := r.SLAHistory(ctx, now)
		if err != nil {
			return nil, fmt.Errorf("reading events: %w", err)
		}
		return slaReportOf(cfg, h, window, now), nil
	}
	events, err := arch.Events(ctx, model.EventQuery{Until: now, Kinds: []string{model.EventState}, HardOnly: true,
		Subjects: true, Brief: true, Limit: slaEventLimit})
	if err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	var began time.Time
	if b, ok := arch.(model.ArchiveBegan); ok {
		if began, err = b.Began(ctx); err != nil {
			return nil, fmt.Errorf("reading when the store began: %w", err)
		}
		if len(events) > 0 && events[0].At.Before(began) {
			began = events[0].At
		}
	}
	return newSLAReport(cfg, events, began, window, now), nil
}

// newSLAReport computes every service's and asset's figures from hard
// state events (oldest first), known from known (zero: the oldest event),
// with model's function, as the monitor does.
func newSLAReport(cfg *model.Config, events []model.Event, known time.Time, window time.Duration, now time.Time) *slaReport {
	return slaReportOf(cfg, model.NewSLAHistory(events, known), window, now)
}

// slaReportOf computes every service's and asset's figures from h.
func slaReportOf(cfg *model.Config, h *model.SLAHistory, window time.Duration, now time.Time) *slaReport {
	rep := &slaReport{At: now, Window: model.DurationText(window), Since: h.Known,
		Services: make([]slaSubject, len(cfg.Services)), Assets: make([]slaSubject, len(cfg.Assets))}
	if window%time.Hour == 0 {
		rep.Window = model.WindowText(window)
	}
	for i := range cfg.Services {
		s := &cfg.Services[i]
		rep.Services[i] = newSLASubject(s.Name, h.Timeline(s.Name).Measure(window, now), s.SLA)
		if rep.Services[i].Below {
			rep.Breached++
		}
	}
	for i := range cfg.Assets {
		rep.Assets[i] = newSLASubject(cfg.Assets[i].Name, h.Timeline(cfg.Assets[i].Name).Measure(window, now), 0)
	}
	// Worst first: what was down longest leads; nothing measured last.
	slices.SortStableFunc(rep.Assets, func(a, b slaSubject) int {
		return cmp.Compare(b.av.Down, a.av.Down)
	})
	return rep
}

func newSLASubject(name string, av model.Availability, sla float64) slaSubject {
	s := slaSubject{Name: name, Percent: jsonNum(av.Percent), SLA: sla,
		Below: sla > 0 && av.Known() && av.Percent < sla,
		DownS: av.Down.Seconds(), MeasuredS: av.Measured.Seconds(), Outages: []slaOutage{}, av: av}
	for _, o := range av.Outages {
		s.Outages = append(s.Outages, slaOutage{Start: o.Start, End: o.End, Open: o.Open, DurationS: o.Duration().Seconds(), Status: o.Status})
	}
	return s
}

// writeReportJSON writes a whole report as one indented JSON document
// (noctop sla, noctop renewals): small reports that people read too.
func writeReportJSON(w io.Writer, rep any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeSLATable prints the services, then the assets (longest down first):
// name, availability, the sla, down time, outages, the longest one.
func writeSLATable(w io.Writer, rep *slaReport) error {
	out := bufio.NewWriter(w)
	fmt.Fprintf(out, "Availability over %s to %s (known since %s)\n", rep.Window,
		rep.At.Format("2006-01-02 15:04"), knownText(rep.Since))
	name := 7
	for _, group := range [][]slaSubject{rep.Services, rep.Assets} {
		for _, s := range group {
			name = max(name, min(ansi.StringWidth(s.Name), 40))
		}
	}
	for gi, group := range [][]slaSubject{rep.Services, rep.Assets} {
		if len(group) == 0 {
			continue
		}
		head := [2]string{"SERVICE", "ASSET"}[gi]
		fmt.Fprintf(out, "\n%s  %8s  %6s  %-9s  %7s  %s\n", pad(head, name), "AVAIL", "SLA", "DOWN", "OUTAGES", "LONGEST")
		for _, s := range group {
			sla := ""
			if s.SLA > 0 {
				sla = fmt.Sprintf("%g%%", s.SLA)
			}
			longest := ""
			if o := longestOutage(s.av.Outages); o != nil {
				longest = model.DurationText(o.Duration()) + " from " + o.Start.Format("01-02 15:04")
				if o.Open {
					longest += ", still down"
				}
			}
			mark := ""
			if s.Below {
				mark = "  ▲ below sla"
			}
			line := fmt.Sprintf("%s  %8s  %6s  %-9s  %7d  %s%s", pad(s.Name, name), model.PercentText(float64(s.Percent)), sla,
				downText(s.av), len(s.av.Outages), longest, mark)
			out.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	return out.Flush()
}

func knownText(t time.Time) string {
	if t.IsZero() {
		return "never: the store has no state changes"
	}
	return t.Format("2006-01-02 15:04")
}

func downText(av model.Availability) string {
	if !av.Known() {
		return "-"
	}
	return model.DurationText(av.Down)
}

func longestOutage(outages []model.Outage) *model.Outage {
	var best *model.Outage
	for i := range outages {
		if best == nil || outages[i].Duration() > best.Duration() {
			best = &outages[i]
		}
	}
	return best
}

// pad cuts or pads s to n cells.
func pad(s string, n int) string {
	if ansi.StringWidth(s) > n {
		return ansi.Truncate(s, n, "…")
	}
	return s + strings.Repeat(" ", n-ansi.StringWidth(s))
}
