package main

import (
	"bufio"
	"encoding/json"
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

// eventsFlags select what `noctop events` prints.
type eventsFlags struct {
	since    string
	asset    string
	asJSON   bool
	limit    int
	stateDir string
}

func newEventsCmd(g *globalFlags) *cobra.Command {
	var f eventsFlags
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Print the stored event log: state changes, reboots, changes, traps",
		Long: `events reads the database the monitor writes (read-only, so it works while a
monitor runs) and prints its events oldest first: a table (time, asset, check,
transition, summary) or, with --json, one JSON object per line. The database
is found as the monitor finds it: --state-dir, then the config's state_dir,
then $XDG_STATE_HOME/noctop. Exit 0, or 3 when there is no database to read.`,
		Example: `  noctop events                      # the last hour
  noctop events --since 7d --asset core-sw1
  noctop events --json | jq 'select(.hard)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEvents(cmd, g, f)
		},
	}
	cmd.Flags().StringVar(&f.since, "since", "1h", `how far back: a duration ("30m", "1h", "7d")`)
	cmd.Flags().StringVar(&f.asset, "asset", "", "only this asset's events (its checks' included)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "one JSON object per event and line")
	cmd.Flags().IntVar(&f.limit, "limit", 1000, "at most this many events, the newest")
	cmd.Flags().StringVar(&f.stateDir, "state-dir", "", "directory of the database (noctop.db); overrides state_dir")
	return cmd
}

func runEvents(cmd *cobra.Command, g *globalFlags, f eventsFlags) error {
	ctx, stderr := cmd.Context(), cmd.ErrOrStderr()
	since, err := model.ParseDuration(f.since)
	if err != nil || since <= 0 {
		fmt.Fprintf(stderr, "noctop events: --since %q: want a duration greater than 0, like 1h or 7d\n", f.since)
		return exitError{code: 3}
	}
	if f.limit <= 0 {
		fmt.Fprintf(stderr, "noctop events: --limit %d: want 1 or more\n", f.limit)
		return exitError{code: 3}
	}
	path, err := commandDatabase(ctx, stderr, g.configPath, f.stateDir)
	if err != nil {
		return err
	}
	st, err := store.OpenReadOnly(ctx, path, store.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "noctop: %v\n", err)
		return exitError{code: 3}
	}
	defer st.Close()
	evs, err := st.Events(ctx, model.EventQuery{Since: time.Now().Add(-since), Asset: f.asset, Limit: f.limit})
	if err != nil {
		fmt.Fprintf(stderr, "noctop: %v\n", err)
		return exitError{code: 3}
	}
	if len(evs) == f.limit {
		fmt.Fprintf(stderr, "noctop events: the newest %d shown; --limit for more\n", f.limit)
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	if f.asJSON {
		err = writeEventsJSON(out, evs)
	} else {
		writeEventsTable(out, evs)
	}
	if err != nil {
		return err
	}
	return out.Flush()
}

// eventJSON is one line of `events --json`.
type eventJSON struct {
	Seq         uint64       `json:"seq"`
	Time        time.Time    `json:"time"`
	Kind        string       `json:"kind"`
	Asset       string       `json:"asset,omitempty"`
	Check       string       `json:"check,omitempty"`
	Service     string       `json:"service,omitempty"`
	From        model.Status `json:"from"`
	To          model.Status `json:"to"`
	Hard        bool         `json:"hard"`
	FromHard    bool         `json:"from_hard"`
	Attempt     int          `json:"attempt,omitempty"`
	MaxAttempts int          `json:"max_attempts,omitempty"`
	Transition  string       `json:"transition"`
	Summary     string       `json:"summary"`
}

func writeEventsJSON(w io.Writer, evs []model.Event) error {
	enc := json.NewEncoder(w)
	for _, ev := range evs {
		if err := enc.Encode(eventJSON{Seq: ev.Seq, Time: ev.At, Kind: ev.Kind, Asset: ev.Asset, Check: ev.Check,
			Service: ev.Service, From: ev.From, To: ev.To, Hard: ev.Hard, FromHard: ev.FromHard, Attempt: ev.Attempt,
			MaxAttempts: ev.MaxAttempts, Transition: eventWhat(ev), Summary: ev.Summary}); err != nil {
			return err
		}
	}
	return nil
}

// eventWhat is the transition of a state change, else the kind.
func eventWhat(ev model.Event) string {
	if ev.Kind == model.EventState {
		return ev.Transition()
	}
	return ev.Kind
}

// writeEventsTable writes the events as aligned columns, names escaped as
// on the dashboard (ui.Clean); the summary is last and not padded.
func writeEventsTable(w *bufio.Writer, evs []model.Event) {
	if len(evs) == 0 {
		fmt.Fprintln(w, "no events in this period")
		return
	}
	rows := make([][]string, 0, len(evs)+1)
	rows = append(rows, []string{"TIME", "ASSET", "CHECK", "TRANSITION", "SUMMARY"})
	for _, ev := range evs {
		asset := ev.Asset
		if ev.Service != "" {
			asset = "service " + ev.Service
		}
		rows = append(rows, []string{ev.At.Local().Format("2006-01-02 15:04:05"), ui.Clean(asset), ui.Clean(ev.Check),
			eventWhat(ev), ui.Clean(ev.Summary)})
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
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		w.WriteString(strings.TrimRight(line.String(), " "))
		w.WriteByte('\n')
	}
}
