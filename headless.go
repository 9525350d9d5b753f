package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/probes"
	"noctop/shard"
)

// headlessFlags configure the log-only monitor.
type headlessFlags struct {
	headless  bool
	logFormat string
	store     *monitorStore  // opened by the caller from storeFlags; nil: none
	metrics   *metricsServer // --metrics-listen, bound by the caller; nil: none
	ssh       *sshServer     // noctop serve's SSH server, bound by the caller; nil: none
	plan      shard.Plan     // --shard, --shards, --site
}

func (h *headlessFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&h.headless, "headless", false, "no TUI: log every state change as one structured line")
	cmd.Flags().StringVar(&h.logFormat, "log-format", "text", "headless log format: text or json")
}

func (h headlessFlags) logger(w io.Writer) (*slog.Logger, error) {
	switch h.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", h.logFormat)
}

// runHeadless runs the monitor and logs every state change as one structured
// line until ctx is cancelled (SIGINT/SIGTERM), then returns nil (exit 0).
// SIGHUP does not stop it: it reloads the config (as a change of the file
// does; reload.go), unless the terminal it logs to hung up. Whatever ends
// it, the last line is "noctop stopped".
func runHeadless(ctx context.Context, w io.Writer, cfg *model.Config, note string, h headlessFlags, opts ...probes.SetOption) error {
	log, err := h.logger(w)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	m := newMonitor(cfg, false, h.store.resume(), opts...)
	defer m.close()
	m.setPlan(h.plan)
	m.watch(func(msg string) { log.Warn(msg) })
	sub := m.engine.Subscribe()
	defer sub.Close()

	log.Info("noctop started", append([]any{"config", configLabel(cfg), "assets", len(cfg.Assets),
		"checks", cfg.NumChecks(), "services", len(cfg.Services), "icmp_mode", string(m.set.ICMPMode())},
		slices.Concat(planAttrs(h.plan, cfg), h.metrics.logAttrs(), h.ssh.logAttrs())...)...)
	if note != "" {
		log.Warn(note)
	}

	// run ends when ctx does, or at once when it cannot start (the trap
	// port is taken).
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer h.store.feed(ctx, m.engine, func(msg string) { log.Warn(msg) })()
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = m.run(ctx)
	}()
	defer h.metrics.serve(ctx, m, func(msg string) { log.Warn(msg) })()
	defer h.ssh.serve(ctx, m, cfg, note, h.store.archive(), func(msg string) { log.Warn(msg) })()
	var last uint64
	var refusedAt time.Time
	var tl tallyLog
	snaps := sub.C
	lag := time.NewTicker(lagLogEvery)
	defer lag.Stop()
	last = h.store.eventSeq() // the run that made the resumed events logged them
	for {
		select {
		case <-lag.C:
			logLag(log, m.engine.Latest().Lag)
		case <-done:
			return logStopped(ctx, log, runErr)
		case <-hup:
			if hungUp(w) {
				cancel(errHungUp)
				continue
			}
			log.Info("SIGHUP: reloading " + configLabel(cfg))
			m.requestReload()
			h.ssh.reloadKeys(func(msg string) { log.Error(msg) })
		case s, ok := <-snaps:
			if !ok {
				// The engine stops only when ctx ends; if it ever stopped
				// on its own, the monitor would be dead while the log
				// looked quiet.
				snaps = nil
				if ctx.Err() == nil {
					cancel(errEngineStopped)
				}
				continue
			}
			last = logEvents(log, s.Events, last)
			refusedAt = logConfigErrors(log, s, refusedAt)
			tl.log(log, s)
		}
	}
}

var (
	errHungUp        = errors.New("the terminal hung up")
	errEngineStopped = errors.New("the engine stopped")
)

// logStopped writes the last line of a headless run and returns the run's
// error: nil when a signal ended it (exit 0), else why the monitor stopped.
func logStopped(ctx context.Context, log *slog.Logger, runErr error) error {
	cause := context.Cause(ctx)
	var sig stopSignal
	switch {
	case runErr != nil:
		log.Error("noctop stopped", "error", runErr.Error())
		return runErr
	case errors.Is(cause, errEngineStopped):
		log.Error("noctop stopped", "error", cause.Error())
		return cause
	case errors.As(cause, &sig), errors.Is(cause, errHungUp):
		log.Info("noctop stopped", "reason", cause.Error())
	default:
		log.Info("noctop stopped")
	}
	return nil
}

// logConfigErrors writes the errors of a config a reload refused, once per
// refusal (the one at seen was written), as file:line:col: message.
func logConfigErrors(log *slog.Logger, s *model.Snapshot, seen time.Time) time.Time {
	if s.ConfigRefusedAt.Equal(seen) {
		return seen
	}
	for _, line := range s.ConfigErrors {
		log.Error("config error", "error", line)
	}
	return s.ConfigRefusedAt
}

// logEvents writes the events newer than last and returns the newest Seq.
func logEvents(log *slog.Logger, events []model.Event, last uint64) uint64 {
	for _, ev := range events {
		if ev.Seq <= last {
			continue
		}
		if last > 0 && ev.Seq > last+1 {
			log.Warn("events skipped", "count", ev.Seq-last-1)
		}
		last = ev.Seq
		log.Log(context.Background(), eventLevel(ev), ev.Summary, eventAttrs(ev)...)
	}
	return last
}

func eventLevel(ev model.Event) slog.Level {
	switch ev.Kind {
	case model.EventAck, model.EventFlapping, model.EventMaintenance:
		return slog.LevelInfo // an operator's act or a mark, not a problem of its own
	case model.EventNotify:
		// The asset's status says nothing of the attempt: "sent" about a
		// CRITICAL asset is no error; a failed or dropped message is.
		if strings.Contains(ev.Summary, ": failed ") || strings.Contains(ev.Summary, ": dropped ") {
			return slog.LevelWarn
		}
		return slog.LevelInfo
	}
	switch ev.To {
	case model.StatusCritical, model.StatusUnknown:
		return slog.LevelError
	case model.StatusWarning:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func eventAttrs(ev model.Event) []any {
	attrs := []any{"kind", ev.Kind}
	if ev.Service != "" {
		attrs = append(attrs, "service", ev.Service)
	}
	if ev.Asset != "" {
		attrs = append(attrs, "asset", ev.Asset)
	}
	if ev.Check != "" {
		attrs = append(attrs, "check", ev.Check)
	}
	if ev.Kind == model.EventState {
		attrs = append(attrs, "from", ev.From.String(), "to", ev.To.String(), "hard", ev.Hard)
	}
	return attrs
}
