package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/probes"
	"noctop/ui"
)

// tuiFlags configure the live dashboard.
type tuiFlags struct {
	wall   bool
	rotate time.Duration
}

func (t *tuiFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&t.wall, "wall", false, "start in wall mode: big counters, rotating panes, no cursor")
	cmd.Flags().DurationVar(&t.rotate, "rotate", ui.DefaultRotate, "wall mode: show each pane this long")
}

// monitorMode holds what decides between the dashboard and the log.
type monitorMode struct {
	headless headlessFlags
	tui      tuiFlags
}

// isTerminal reports whether w is a terminal the dashboard can draw on.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// wantsTUI says whether to draw the dashboard; when stdout is not a
// terminal it says on stderr why the log mode runs instead.
func (mm monitorMode) wantsTUI(stdout, stderr io.Writer) bool {
	if mm.headless.headless {
		return false
	}
	if !isTerminal(stdout) {
		fmt.Fprintln(stderr, "noctop: stdout is not a terminal: running headless (one log line per state change); --headless says so explicitly")
		return false
	}
	return true
}

// runTUI runs the monitor under the live dashboard until the user quits or
// ctx is cancelled. notices (may be nil) feed the status line.
func runTUI(ctx context.Context, stdout io.Writer, cfg *model.Config, note string, t tuiFlags, notices <-chan string, opts ...probes.SetOption) error {
	m := newMonitor(cfg, false, opts...)
	defer m.close()
	sub := m.engine.Subscribe()
	defer sub.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := m.listen(ctx); err != nil {
		return err // before the dashboard takes the screen, so the reason is readable
	}
	var wg sync.WaitGroup
	var runErr error
	wg.Go(func() { runErr = m.run(ctx) })

	name := filepath.Base(configLabel(cfg))
	root := ui.New(ui.Options{
		Snapshots:  sub.C,
		Commands:   m.engine,
		Notices:    notices,
		Notice:     note,
		ConfigName: name,
		ICMPMode:   string(m.set.ICMPMode()),
		Version:    version,
		Wall:       t.wall,
		Rotate:     t.rotate,
		NoColor:    os.Getenv("NO_COLOR") != "",
	})
	_, err := tea.NewProgram(root, tea.WithContext(ctx), tea.WithOutput(stdout)).Run()
	cancel()
	wg.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // a signal ended it; the terminal is restored
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return runErr
}
