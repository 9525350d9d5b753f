package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"noctop/model"
	"noctop/probes"
	"noctop/shard"
	"noctop/ui"
)

// tuiFlags configure the live dashboard.
type tuiFlags struct {
	wall   bool
	rotate time.Duration
	store  *monitorStore // opened by the caller from storeFlags; nil: none
	// metrics is --metrics-listen, bound by the caller; nil: none.
	metrics *metricsServer
	// plan is what --shard, --shards and --site say this poller owns.
	plan shard.Plan
}

func (t *tuiFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&t.wall, "wall", false, "start in wall mode: big counters, rotating panes, no cursor")
	cmd.Flags().DurationVar(&t.rotate, "rotate", ui.DefaultRotate, "wall mode: show each pane this long")
}

// monitorMode holds what decides between the dashboard and the log.
type monitorMode struct {
	headless headlessFlags
	tui      tuiFlags
	store    storeFlags
	metrics  metricsFlags
	shard    shardFlags
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
//
// Every signal that ends the dashboard restores the terminal: SIGINT,
// SIGTERM and SIGQUIT cancel ctx (see notifyStop), and so does SIGHUP when
// the terminal hung up (an SSH session dropped). A SIGHUP with the terminal
// still there reloads the config (reload.go), as a change of its file does:
// the status line says so, and the banner shows a refused config's errors.
func runTUI(ctx context.Context, stdout io.Writer, cfg *model.Config, note string, t tuiFlags, notices <-chan string, opts ...probes.SetOption) error {
	ms := t.store
	m := newMonitor(cfg, false, ms.resume(), opts...)
	defer m.close()
	m.setPlan(t.plan)
	// What the config watcher and the store say goes to the status line.
	said := make(chan string, 4)
	say := func(msg string) {
		select {
		case said <- msg:
		default: // the status line is busy; the event log has the reloads
		}
	}
	m.watch(say)
	sub := m.engine.Subscribe()
	defer sub.Close()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if err := m.listen(ctx); err != nil {
		return err // before the dashboard takes the screen, so the reason is readable
	}
	var wg sync.WaitGroup
	var runErr error
	wg.Go(func() { runErr = m.run(ctx) })
	defer ms.feed(ctx, m.engine, say)()
	defer t.metrics.serve(ctx, m, say)()

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	status := make(chan string, 16)
	fw := forwarder{cancel: cancel, term: stdout, config: configLabel(cfg), reload: m.requestReload}
	wg.Go(func() { fw.run(ctx, notices, said, hup, status) })

	name := screenName(cfg, t.plan)
	root := ui.New(ui.Options{
		Snapshots:      sub.C,
		Commands:       m.engine,
		Ack:            m.engine.Ack,
		Unack:          m.engine.Unack,
		Maintain:       m.engine.Maintain,
		EndMaintenance: m.engine.EndMaintenance,
		Operator:       operatorName(""),
		Notices:        status,
		Notice:         note,
		Archive:        ms.archive(),
		ConfigName:     name,
		ICMPMode:       string(m.set.ICMPMode()),
		Version:        version,
		Wall:           t.wall,
		Rotate:         t.rotate,
		NoColor:        os.Getenv("NO_COLOR") != "",
	})
	_, err := tea.NewProgram(root, tea.WithContext(ctx), tea.WithOutput(stdout)).Run()
	cancel(nil)
	wg.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // a signal ended it; the terminal is restored
	}
	if err != nil && hungUp(stdout) {
		err = nil // the terminal went away under the dashboard: nothing to report it to
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return runErr
}

// forwarder feeds the status line: the caller's notices (the demo script;
// nil for none), what the config watcher says, and what SIGHUP does. A
// SIGHUP from a terminal that hung up ends the dashboard through cancel;
// any other asks for a reload.
type forwarder struct {
	cancel context.CancelCauseFunc
	term   io.Writer
	config string
	reload func()
}

// run forwards until ctx ends, then closes out.
func (f forwarder) run(ctx context.Context, in, said <-chan string, hup <-chan os.Signal, out chan<- string) {
	defer close(out)
	for {
		var msg string
		select {
		case <-ctx.Done():
			return
		case m, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			msg = m
		case msg = <-said:
		case <-hup:
			if hungUp(f.term) {
				f.cancel(errHungUp)
				return
			}
			f.reload()
			msg = "SIGHUP: reloading " + f.config
		}
		select {
		case out <- msg:
		case <-ctx.Done():
			return
		}
	}
}

// hungUp reports whether w is a terminal that hung up (the SSH session or
// terminal window closed): the kernel then fails every operation on it with
// EIO. A SIGHUP with the terminal still there is someone asking for a
// reload.
func hungUp(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return errors.Is(err, unix.EIO)
}
