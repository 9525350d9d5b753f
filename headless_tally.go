package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"noctop/model"
)

// tallyLog writes a "status" line whenever the counts the banner shows
// change, in the same words (Tally.Phrases), so a log reader sees "1 root
// cause, 9 unreachable, 3 services down" as the operator at the wall does.
// Soft problems are left out: they change with every retry.
type tallyLog struct {
	last model.Tally
	seen bool
}

func (tl *tallyLog) log(log *slog.Logger, s *model.Snapshot) {
	t := s.Tally
	t.Soft = 0
	if tl.seen && t == tl.last {
		return
	}
	if !tl.seen && t.Quiet() {
		tl.seen, tl.last = true, t // nothing to say at start
		return
	}
	tl.seen, tl.last = true, t
	level := slog.LevelInfo
	switch {
	case t.Red():
		level = slog.LevelError
	case !t.Quiet():
		level = slog.LevelWarn
	}
	attrs := []any{"kind", "status",
		"root_causes", t.RootCauses, "unreachable", t.Unreachable, "checking", t.Checking,
		"critical", t.Critical, "unknown", t.Unknown, "warning", t.Warning,
		"services_down", t.ServicesDown, "services_degraded", t.ServicesDegraded, "acked", t.Acked}
	if t.RootCauses > 0 {
		attrs = append(attrs, "root_cause_assets", rootCauseNames(s, 10))
	}
	if len(s.Checking) > 0 {
		attrs = append(attrs, "checking_parents", s.Checking)
	}
	words := "all OK"
	if parts := t.Phrases(s.Checking); len(parts) > 0 {
		words = strings.Join(parts, ", ")
	}
	log.Log(context.Background(), level, "status: "+words, attrs...)
}

// rootCauseNames lists up to max root-cause assets, in config order, with
// "…" when there are more.
func rootCauseNames(s *model.Snapshot, max int) []string {
	var out []string
	for _, a := range s.Assets {
		if a.Role != model.RoleRootCause {
			continue
		}
		if len(out) == max {
			return append(out, "…")
		}
		out = append(out, a.Name)
	}
	return out
}

// lagLogEvery is how often the headless log says how late runs start.
const lagLogEvery = time.Minute

// logLag writes the schedule's lag: a warning when the p99 is past
// model.LagSlow (the monitor cannot keep up), else an info line.
func logLag(log *slog.Logger, l model.LagStats) {
	level := slog.LevelInfo
	if l.Slow() {
		level = slog.LevelWarn
	}
	log.Log(context.Background(), level, "schedule lag", "kind", "lag", "runs", l.Runs,
		"p50_ms", l.P50.Milliseconds(), "p99_ms", l.P99.Milliseconds(), "max_ms", l.Max.Milliseconds())
}
