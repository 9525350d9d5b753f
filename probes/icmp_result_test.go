package probes

import (
	"context"
	"fmt"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"noctop/model"
)

func f64(v float64) *float64 { return &v }

func usRTTs(us ...int) []time.Duration {
	var d []time.Duration
	for _, u := range us {
		d = append(d, time.Duration(u)*time.Microsecond)
	}
	return d
}

func TestICMPOutcome(t *testing.T) {
	plain := &model.Check{Type: model.CheckICMP}
	limited := &model.Check{
		Type: model.CheckICMP,
		Loss: &model.Limits{Warn: f64(20), Crit: f64(60)},
		RTT:  &model.DurationLimits{Warn: model.D(50 * time.Millisecond), Crit: model.D(200 * time.Millisecond)},
	}
	sendFail := &sendError{dst: netip.MustParseAddr("127.0.0.4"), err: fmt.Errorf("write: %w", syscall.EPERM)}
	noRoute := &sendError{dst: netip.MustParseAddr("192.0.2.1"), err: fmt.Errorf("write: %w", syscall.ENETUNREACH)}
	for _, tc := range []struct {
		name    string
		ch      *model.Check
		st      echoStats
		err     error
		status  model.Status
		summary string
		metrics map[string]float64
	}{
		{"all received", plain, echoStats{count: 3, sent: 3, recv: 3, rtts: usRTTs(50, 70, 90)}, nil,
			model.StatusOK, "3/3 received, rtt 0.05/0.07/0.09 ms",
			map[string]float64{"sent": 3, "received": 3, "loss_pct": 0, "rtt_min_ms": 0.05, "rtt_avg_ms": 0.07, "rtt_max_ms": 0.09, "jitter_ms": 0.016329931618554522}},
		{"all lost", limited, echoStats{count: 3, sent: 3}, nil,
			model.StatusCritical, "3/3 lost", map[string]float64{"sent": 3, "received": 0, "loss_pct": 100}},
		{"all lost without thresholds", plain, echoStats{count: 3, sent: 3}, nil,
			model.StatusCritical, "3/3 lost", map[string]float64{"sent": 3, "received": 0, "loss_pct": 100}},
		{"loss warn", limited, echoStats{count: 5, sent: 5, recv: 3, rtts: usRTTs(1000, 2000, 3000)}, nil,
			model.StatusWarning, "loss 40% >= warn 20% — 3/5 received, rtt 1/2/3 ms", nil},
		{"loss crit", limited, echoStats{count: 5, sent: 5, recv: 2, rtts: usRTTs(1000, 3000)}, nil,
			model.StatusCritical, "loss 60% >= crit 60% — 2/5 received, rtt 1/2/3 ms", nil},
		{"partial loss, no loss thresholds", plain, echoStats{count: 3, sent: 3, recv: 2, rtts: usRTTs(1000, 3000)}, nil,
			model.StatusOK, "2/3 received, rtt 1/2/3 ms", nil},
		{"rtt crit and loss warn", limited, echoStats{count: 4, sent: 4, recv: 3, rtts: usRTTs(200000, 230000, 260000)}, nil,
			model.StatusCritical, "loss 25% >= warn 20%; rtt 230 ms >= crit 200 ms — 3/4 received, rtt 200/230/260 ms", nil},
		{"rtt warn", limited, echoStats{count: 3, sent: 3, recv: 3, rtts: usRTTs(60000, 60000, 60000)}, nil,
			model.StatusWarning, "rtt 60 ms >= warn 50 ms — 3/3 received, rtt 60/60/60 ms",
			map[string]float64{"sent": 3, "received": 3, "loss_pct": 0, "rtt_min_ms": 60, "rtt_avg_ms": 60, "rtt_max_ms": 60, "jitter_ms": 0}},
		{"deadline cut sends short", plain, echoStats{count: 5, sent: 2, recv: 2, rtts: usRTTs(100, 100)}, nil,
			model.StatusOK, "2/2 received, rtt 0.1/0.1/0.1 ms (2 of 5 sent before the deadline)", nil},
		{"send refused", limited, echoStats{count: 3, sent: 1, recv: 1}, sendFail,
			model.StatusUnknown, "send to 127.0.0.4 failed: operation not permitted — 1 of 3 sent, 1 received",
			map[string]float64{"sent": 1, "received": 1}},
		{"no route", limited, echoStats{count: 3}, noRoute,
			model.StatusCritical, "send to 192.0.2.1 failed: network is unreachable — 0 of 3 sent, 0 received",
			map[string]float64{"sent": 0, "received": 0}},
		{"no send slot", limited, echoStats{count: 3}, errNoSendSlot,
			model.StatusUnknown, "no send slot before the deadline: too many echo requests queued for the send rate — 0 of 3 sent, 0 received",
			map[string]float64{"sent": 0, "received": 0}},
		{"sent too late", limited, echoStats{count: 3}, errSendLate,
			model.StatusUnknown, "first echo request not sent in time: noctop is overloaded (lower [scheduler] concurrency) — 0 of 3 sent, 0 received", nil},
		{"no time", limited, echoStats{count: 3}, errNoTime,
			model.StatusUnknown, "no time left to ping before the deadline — 0 of 3 sent, 0 received", nil},
		{"own buffer dropped replies", limited, echoStats{count: 3, sent: 3, recv: 1}, &ownDropsError{n: 42},
			model.StatusUnknown, "loss not measurable: the kernel dropped 42 ICMP replies from noctop's full receive buffer " +
				"during this run (raise net.core.rmem_max or lower [scheduler] concurrency) — 3 of 3 sent, 1 received",
			map[string]float64{"sent": 3, "received": 1}},
		{"cancelled", limited, echoStats{count: 3, sent: 2, recv: 1}, context.Canceled,
			model.StatusUnknown, "ping cancelled — 2 of 3 sent, 1 received", map[string]float64{"sent": 2, "received": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := icmpOutcome(tc.ch.Loss.Threshold("%", false), tc.ch.RTT.Threshold(), tc.st, tc.err)
			if out.Status != tc.status || out.Summary != tc.summary {
				t.Errorf("got %v %q\nwant %v %q", out.Status, out.Summary, tc.status, tc.summary)
			}
			// Failures of this machine (a local firewall, the send rate,
			// the deadline, our own buffer) are Local; the target's are not.
			local := map[string]bool{"send refused": true, "no send slot": true, "sent too late": true,
				"no time": true, "own buffer dropped replies": true}
			if out.Local != local[tc.name] {
				t.Errorf("Local = %v, want %v", out.Local, local[tc.name])
			}
			// Replies came back: a problem is degraded, never "down".
			if answered := tc.err == nil && tc.st.recv > 0; out.Degraded != answered {
				t.Errorf("Degraded = %v, want %v", out.Degraded, answered)
			}
			if tc.metrics == nil {
				return
			}
			if len(out.Metrics) != len(tc.metrics) {
				t.Errorf("metrics %v, want %v", out.Metrics, tc.metrics)
			}
			for k, want := range tc.metrics {
				if got, ok := out.Metrics[k]; !ok || got-want > 1e-9 || want-got > 1e-9 {
					t.Errorf("metric %s = %v (present %v), want %v", k, got, ok, want)
				}
			}
		})
	}
}

func TestReplyCutoff(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct{ budget, margin time.Duration }{
		{5 * time.Second, 50 * time.Millisecond},
		{500 * time.Millisecond, 50 * time.Millisecond},
		{100 * time.Millisecond, 10 * time.Millisecond},
	} {
		if got := replyCutoff(now, now.Add(tc.budget)); got != now.Add(tc.budget-tc.margin) {
			t.Errorf("budget %v: cutoff %v before the deadline, want %v", tc.budget, now.Add(tc.budget).Sub(got), tc.margin)
		}
	}
}

func TestICMPChecksum(t *testing.T) {
	// Sum of the 16-bit words 0x0800+0x0001+0x0002+0x6162 = 0x6965; complement 0x969a.
	b := []byte{0x08, 0x00, 0, 0, 0x00, 0x01, 0x00, 0x02, 'a', 'b'}
	c := icmpChecksum(b)
	b[2], b[3] = byte(c>>8), byte(c)
	if icmpChecksum(b) != 0 {
		t.Fatalf("checksum %#04x does not verify", c)
	}
	if c != 0x969a {
		t.Fatalf("checksum %#04x, want 0x969a", c)
	}
}
