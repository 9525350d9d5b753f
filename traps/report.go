package traps

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

// flush runs every SummaryEvery on the loop: it reports the rate-limit
// drops of the interval and the rejections of sources not reported within
// ReportEvery, then forgets sources idle for two ReportEvery periods.
func (r *Receiver) flush(now time.Time) {
	var limited, failed []*source
	all := make([]*source, 0, len(r.sources)+1)
	for _, s := range r.sources {
		all = append(all, s)
	}
	if r.overflow != nil {
		all = append(all, r.overflow)
	}
	for _, s := range all {
		if s.limited > 0 || s.busy > 0 {
			limited = append(limited, s)
		}
		if !s.failures.empty() && (s.failReported.IsZero() || now.Sub(s.failReported) >= r.opts.ReportEvery) {
			failed = append(failed, s)
		}
	}
	r.reportLimited(limited, now)
	r.reportFailures(failed, now)
	cutoff := now.Add(-2 * r.opts.ReportEvery)
	for ip, s := range r.sources {
		if s.idle(cutoff) && now.Sub(s.failReported) >= r.opts.ReportEvery {
			delete(r.sources, ip)
		}
	}
	for asset, at := range r.rechecked {
		if now.Sub(at) >= recheckGap {
			delete(r.rechecked, asset)
		}
	}
}

// reportLimited sends one event per source, or one for all of them when
// more than maxReports sources were limited (a flood from many addresses
// must not flood the event log in turn). Counts are kept when the engine
// refuses the event, to be reported next time.
func (r *Receiver) reportLimited(sources []*source, now time.Time) {
	if len(sources) == 0 {
		return
	}
	every := r.opts.SummaryEvery
	if len(sources) <= maxReports {
		for _, s := range sources {
			n := model.Notice{Asset: s.asset, Kind: model.EventTrap, At: now,
				Summary: limitSummary(s.from, s.limited, s.busy, every, r.rate)}
			if r.notify(n) {
				s.limited, s.busy = 0, 0
			}
		}
		return
	}
	slices.SortFunc(sources, func(a, b *source) int {
		return cmp.Or(cmp.Compare(b.limited+b.busy, a.limited+a.busy), strings.Compare(a.from, b.from))
	})
	var limited, busy uint64
	top := make([]string, 0, 3)
	for i, s := range sources {
		limited += s.limited
		busy += s.busy
		if i < cap(top) {
			top = append(top, fmt.Sprintf("%s (%s)", s.from, thousands(s.limited+s.busy)))
		}
	}
	summary := limitSummary(fmt.Sprintf("%d sources", len(sources)), limited, busy, every, r.rate) +
		"; most from " + strings.Join(top, ", ")
	if r.notify(model.Notice{Kind: model.EventTrap, Summary: summary, At: now}) {
		for _, s := range sources {
			s.limited, s.busy = 0, 0
		}
	}
}

// reportFailures reports rejected traps, one event per source or one for
// all when more than maxReports sources have some.
func (r *Receiver) reportFailures(sources []*source, now time.Time) {
	if len(sources) == 0 {
		return
	}
	done := func(s *source) {
		s.failures.reset()
		s.failReported = now
	}
	if len(sources) <= maxReports {
		for _, s := range sources {
			n := model.Notice{Asset: s.asset, Kind: model.EventTrap, At: now,
				Summary: failureSummary(s.from, &s.failures, now.Sub(s.failSince))}
			if r.notify(n) {
				done(s)
			}
		}
		return
	}
	var merged tally
	since := now
	for _, s := range sources {
		merged.merge(&s.failures, maxMergedReasons)
		if s.failSince.Before(since) {
			since = s.failSince
		}
	}
	summary := failureSummary(fmt.Sprintf("%d sources", len(sources)), &merged, now.Sub(since))
	if r.notify(model.Notice{Kind: model.EventTrap, Summary: summary, At: now}) {
		for _, s := range sources {
			done(s)
		}
	}
}
