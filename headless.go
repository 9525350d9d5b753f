package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/probes"
)

// headlessFlags configure the log-only monitor.
type headlessFlags struct {
	headless  bool
	logFormat string
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
func runHeadless(ctx context.Context, w io.Writer, cfg *model.Config, note string, h headlessFlags, opts ...probes.SetOption) error {
	log, err := h.logger(w)
	if err != nil {
		return err
	}
	m := newMonitor(cfg, false, opts...)
	defer m.close()
	sub := m.engine.Subscribe()
	defer sub.Close()

	log.Info("noctop started", "config", configLabel(cfg), "assets", len(cfg.Assets),
		"checks", cfg.NumChecks(), "services", len(cfg.Services), "icmp_mode", string(m.set.ICMPMode()))
	if note != "" {
		log.Warn(note)
	}

	// run ends when ctx does, or at once when it cannot start (the trap
	// port is taken).
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = m.run(ctx)
	}()
	var last uint64
	var tl tallyLog
	snaps := sub.C
	for {
		select {
		case <-done:
			if runErr != nil {
				log.Error("noctop stopped", "error", runErr.Error())
				return runErr
			}
			log.Info("noctop stopped")
			return nil
		case s, ok := <-snaps:
			if !ok {
				snaps = nil // the engine stopped; done follows
				continue
			}
			last = logEvents(log, s.Events, last)
			tl.log(log, s)
		}
	}
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
