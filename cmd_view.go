package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"noctop/estate"
	"noctop/ui"
)

// viewFlags say where the estate view reads from: `noctop view`, and
// `noctop serve --prom`.
type viewFlags struct {
	prom, am, match     string
	refresh, staleAfter time.Duration
}

// register adds the flags; serve's --prom is optional (without it serve
// runs a monitor), view's is required.
func (f *viewFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.prom, "prom", "", "Prometheus base URL the sharded pollers are scraped into, e.g. http://127.0.0.1:9090")
	cmd.Flags().StringVar(&f.am, "am", "", "Alertmanager base URL: problem text from its alerts, acks as its silences")
	cmd.Flags().StringVar(&f.match, "match", "", `label matchers that narrow the view, e.g. '{site="paris"}'`)
	cmd.Flags().DurationVar(&f.refresh, "refresh", 15*time.Second, "how often the view reads Prometheus and Alertmanager")
	cmd.Flags().DurationVar(&f.staleAfter, "stale-after", estate.DefaultStaleAfter,
		"a site whose pollers Prometheus no longer scrapes is stale once its last report is this old (two scrape intervals)")
}

// source checks the flags and returns the estate's source; errors name
// the flag.
func (f *viewFlags) source() (estate.Source, error) {
	if f.prom == "" {
		return estate.Source{}, errors.New("--prom is required")
	}
	for _, u := range []struct{ flag, v string }{{"--prom", f.prom}, {"--am", f.am}} {
		if u.v == "" && u.flag == "--am" {
			continue
		}
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return estate.Source{}, fmt.Errorf("%s %q: want an http(s) base URL, e.g. http://127.0.0.1:9090", u.flag, u.v)
		}
	}
	if f.refresh < time.Second {
		return estate.Source{}, fmt.Errorf("--refresh %s: at least 1s", f.refresh)
	}
	if f.staleAfter <= 0 {
		return estate.Source{}, fmt.Errorf("--stale-after %s: must be positive", f.staleAfter)
	}
	if err := estate.CheckMatch(f.match); err != nil {
		return estate.Source{}, err
	}
	return estate.Source{Prom: f.prom, AM: f.am, Match: f.match, StaleAfter: f.staleAfter}, nil
}

// viewName is the header's name of the view: the Prometheus and the
// matchers.
func (f *viewFlags) viewName() string {
	name := "estate"
	if p, err := url.Parse(f.prom); err == nil {
		name += " " + p.Host
	}
	if f.match != "" {
		name += " " + f.match
	}
	return name
}

func newViewCmd() *cobra.Command {
	var f viewFlags
	var t tuiFlags
	cmd := &cobra.Command{
		Use:   "view",
		Short: "The estate-wide dashboard of sharded pollers, from Prometheus and Alertmanager",
		Long: `view draws the dashboard (panes, banner, triage) of every poller scraped into a
Prometheus, without polling anything itself: the pollers' verdicts from their
series (noctop_asset_status, _role, _root_cause, _info, noctop_check_status,
...), problem text from their alerts in Alertmanager. One row per site leads
the functional pane; a site whose pollers all stopped reporting is stale, its
assets UNKNOWN, never OK. a acks as an Alertmanager silence (24h), A expires
it; r, m and M belong to the site's own noctop. When Prometheus does not
answer, the last view stays, marked stale, and the status line says why.`,
		Example: `  noctop view --prom http://127.0.0.1:9090 --am http://127.0.0.1:9093
  noctop view --prom http://prom:9090 --match '{site="paris"}'   # one site's assets, every check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := f.source()
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop view: %v\n", err)
				return exitError{code: 3}
			}
			if !isTerminal(cmd.OutOrStdout()) {
				fmt.Fprintln(cmd.ErrOrStderr(), "noctop view: stdout is not a terminal; for scripts query Prometheus, or ssh to a noctop serve --prom")
				return exitError{code: 3}
			}
			return runView(cmd.Context(), cmd.OutOrStdout(), f, src, t)
		},
	}
	f.register(cmd)
	t.register(cmd)
	return cmd
}

// viewOptions are the dashboard's options over feed: acks through
// Alertmanager, rechecks and maintenance refused with a word.
func viewOptions(feed *estateFeed, f viewFlags) ui.Options {
	return ui.Options{
		Ack:        feed.ack,
		Unack:      feed.unack,
		Remote:     remoteNote,
		ConfigName: f.viewName(),
		Version:    version,
		NoColor:    os.Getenv("NO_COLOR") != "",
	}
}

// runView runs the dashboard over the estate feed until the user quits or
// ctx ends; the feed's goroutine ends with it.
func runView(ctx context.Context, stdout io.Writer, f viewFlags, src estate.Source, t tuiFlags) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := newEstateFeed(src, f.refresh)
	snaps, unsubscribe := feed.Subscribe()
	defer unsubscribe()
	status := make(chan string, 16)
	say := func(msg string) {
		select {
		case status <- msg:
		default: // the status line is busy; the next refresh says it again
		}
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		feed.run(ctx, say)
		close(status) // run was its only sender: the dashboard's reader ends
	})

	opts := viewOptions(feed, f)
	opts.Snapshots, opts.Notices = snaps, status
	opts.Operator = operatorName("")
	opts.Notice = "reading " + f.prom + " every " + f.refresh.String()
	opts.Wall, opts.Rotate = t.wall, t.rotate
	_, err := tea.NewProgram(ui.New(opts), tea.WithContext(ctx), tea.WithOutput(stdout)).Run()
	cancel()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // a signal ended it; the terminal is restored
	}
	if err != nil && hungUp(stdout) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}
