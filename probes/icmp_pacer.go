package probes

import (
	"sync"
	"time"
)

// sendPacer spaces the echo requests of one socket: at most one per gap on
// average, with bursts of up to burst. Without it, thousands of probes
// started together send thousands of requests at once; their replies
// overflow the socket's receive buffer before the reader goroutine gets a
// CPU (false loss, measured in BENCHMARKS.md), and routers that rate-limit
// ICMP would drop them too.
type sendPacer struct {
	mu    sync.Mutex
	gap   time.Duration
	burst time.Duration // gap * burst size
	next  time.Time     // the earliest free send slot
}

func newSendPacer(pps, burst int) *sendPacer {
	if pps <= 0 {
		return &sendPacer{}
	}
	gap := time.Second / time.Duration(pps)
	return &sendPacer{gap: gap, burst: gap * time.Duration(burst)}
}

// reserve books the next send slot if it comes before before, and returns
// when it is. A slot at or after before is not booked, so probes that give
// up do not push the others' slots back.
func (p *sendPacer) reserve(before time.Time) (time.Time, bool) {
	now := time.Now()
	if p == nil || p.gap == 0 {
		return now, now.Before(before)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if early := now.Add(-p.burst); p.next.Before(early) {
		p.next = early // idle time earns at most a burst
	}
	at := p.next
	if at.Before(now) {
		at = now
	}
	if !at.Before(before) {
		return at, false
	}
	p.next = p.next.Add(p.gap)
	return at, true
}
