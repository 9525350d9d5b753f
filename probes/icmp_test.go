package probes

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// requireICMP skips (or, with NOCTOP_REQUIRE_ICMP=1, fails) when this
// process may not send ICMP.
func requireICMP(t *testing.T, p *ICMP) {
	t.Helper()
	if p.Mode() != ICMPUnavailable {
		return
	}
	if os.Getenv("NOCTOP_REQUIRE_ICMP") == "1" {
		t.Fatalf("NOCTOP_REQUIRE_ICMP=1 but %v", p.ModeErr())
	}
	t.Skipf("ICMP not available here: %v", p.ModeErr())
}

func newTestICMP(t *testing.T, opts ...ICMPOption) *ICMP {
	t.Helper()
	p := NewICMP(opts...)
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

func icmpTarget(addr string, count int, interval time.Duration) Target {
	return Target{
		Asset: &model.Asset{Name: "a-" + addr, Address: addr},
		Check: &model.Check{Type: model.CheckICMP, Name: "icmp", Count: count, PacketInterval: model.D(interval)},
	}
}

// probeWithin prepares t and runs it once with a deadline d away.
func probeWithin(p *ICMP, t Target, d time.Duration) model.Outcome {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return prepareOrReport(p.Prepare, t).Run(ctx)
}

var okSummary = regexp.MustCompile(`^3/3 received, rtt [0-9.e-]+/[0-9.e-]+/[0-9.e-]+ ms$`)

// checkAllReceived asserts a clean 3-packet run.
func checkAllReceived(t *testing.T, out model.Outcome) {
	t.Helper()
	if out.Status != model.StatusOK || !okSummary.MatchString(out.Summary) {
		t.Fatalf("got %v %q, want OK \"3/3 received, rtt a/b/c ms\"", out.Status, out.Summary)
	}
	m := out.Metrics
	if m["sent"] != 3 || m["received"] != 3 || m["loss_pct"] != 0 {
		t.Errorf("metrics %v: want sent 3, received 3, loss_pct 0", m)
	}
	if !(0 < m["rtt_min_ms"] && m["rtt_min_ms"] <= m["rtt_avg_ms"] && m["rtt_avg_ms"] <= m["rtt_max_ms"] && m["rtt_max_ms"] < 1000) {
		t.Errorf("rtt min/avg/max %v/%v/%v: want 0 < min <= avg <= max < 1000", m["rtt_min_ms"], m["rtt_avg_ms"], m["rtt_max_ms"])
	}
	if j, ok := m["jitter_ms"]; !ok || j < 0 || j > m["rtt_max_ms"]-m["rtt_min_ms"] {
		t.Errorf("jitter_ms %v (present %v): want 0 <= jitter <= max-min", j, ok)
	}
}

func TestICMPLoopbackIPv4(t *testing.T) {
	p := newTestICMP(t)
	requireICMP(t, p)
	out := probeWithin(p, icmpTarget("127.0.0.1", 3, 10*time.Millisecond), 2*time.Second)
	checkAllReceived(t, out)
	if out.Attrs["address"] != "127.0.0.1" || out.Attrs["icmp_mode"] != string(p.Mode()) {
		t.Errorf("attrs %v: want address 127.0.0.1, icmp_mode %s", out.Attrs, p.Mode())
	}
}

func TestICMPLoopbackIPv6(t *testing.T) {
	p := newTestICMP(t)
	requireICMP(t, p)
	if _, err := p.socket(true); err != nil {
		if os.Getenv("NOCTOP_REQUIRE_ICMP") == "1" {
			t.Fatalf("NOCTOP_REQUIRE_ICMP=1 but no ICMPv6 socket: %v", err)
		}
		t.Skipf("no ICMPv6 socket in this sandbox: %v", err)
	}
	out := probeWithin(p, icmpTarget("::1", 3, 10*time.Millisecond), 2*time.Second)
	if strings.Contains(out.Summary, "cannot assign") || strings.Contains(out.Summary, "network is unreachable") {
		if os.Getenv("NOCTOP_REQUIRE_ICMP") != "1" {
			t.Skipf("::1 unavailable in this sandbox: %s", out.Summary)
		}
	}
	checkAllReceived(t, out)
	if out.Attrs["address"] != "::1" {
		t.Errorf("address attr %q, want ::1", out.Attrs["address"])
	}
}

// fixedResolver answers from a table; tests never contact a real resolver.
type fixedResolver struct {
	mu    sync.Mutex
	names map[string][]netip.Addr
	calls []string
}

func (r *fixedResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, network+" "+host)
	if as, ok := r.names[host]; ok {
		return as, nil
	}
	return nil, fmt.Errorf("lookup %s: no such host", host)
}

func TestICMPResolvesHostNamesOnly(t *testing.T) {
	r := &fixedResolver{names: map[string][]netip.Addr{
		"gw.test":     {netip.MustParseAddr("127.0.0.7"), netip.MustParseAddr("127.0.0.8")},
		"mapped.test": {netip.MustParseAddr("::ffff:127.0.0.9")},
		"empty.test":  {},
	}}
	p := newTestICMP(t, WithICMPResolver(r))
	requireICMP(t, p)

	out := probeWithin(p, icmpTarget("gw.test", 3, 5*time.Millisecond), 2*time.Second)
	checkAllReceived(t, out)
	if out.Attrs["address"] != "127.0.0.7" {
		t.Errorf("gw.test pinged %q, want the first answer 127.0.0.7", out.Attrs["address"])
	}
	out = probeWithin(p, icmpTarget("mapped.test", 3, 5*time.Millisecond), 2*time.Second)
	checkAllReceived(t, out)
	if out.Attrs["address"] != "127.0.0.9" {
		t.Errorf("mapped.test pinged %q, want 127.0.0.9 (unmapped)", out.Attrs["address"])
	}
	for _, tc := range []struct{ addr, want string }{
		{"nowhere.test", `resolve "nowhere.test": lookup nowhere.test: no such host`},
		{"empty.test", `resolve "empty.test": no addresses`},
		{"  ", "asset has no address"},
	} {
		out := probeWithin(p, icmpTarget(tc.addr, 3, 5*time.Millisecond), time.Second)
		if out.Status != model.StatusUnknown || out.Summary != tc.want {
			t.Errorf("%q: got %v %q, want UNKNOWN %q", tc.addr, out.Status, out.Summary, tc.want)
		}
	}
	// IP literals, bracketed or not, never reach the resolver.
	for _, a := range []string{"127.0.0.1", "[127.0.0.1]"} {
		checkAllReceived(t, probeWithin(p, icmpTarget(a, 3, 5*time.Millisecond), 2*time.Second))
	}
	want := []string{"ip gw.test", "ip mapped.test", "ip nowhere.test", "ip empty.test"}
	if fmt.Sprint(r.calls) != fmt.Sprint(want) {
		t.Errorf("resolver calls %q, want %q", r.calls, want)
	}
}

// Many probes in flight on the shared socket, several to the same address:
// each must count exactly its own replies.
func TestICMPConcurrentProbesShareSocket(t *testing.T) {
	p := newTestICMP(t)
	requireICMP(t, p)
	var targets []string
	for i := range 300 {
		targets = append(targets, fmt.Sprintf("127.0.%d.%d", 1+i/250, 1+i%250))
	}
	for range 20 {
		targets = append(targets, "127.0.0.1") // same target, concurrent
	}
	var wg sync.WaitGroup
	outs := make([]model.Outcome, len(targets))
	for i, a := range targets {
		wg.Go(func() { outs[i] = probeWithin(p, icmpTarget(a, 3, 20*time.Millisecond), 3*time.Second) })
	}
	wg.Wait()
	for i, out := range outs {
		if out.Status != model.StatusOK || out.Metrics["received"] != 3 || out.Metrics["sent"] != 3 {
			t.Errorf("%s: %v %q %v: want OK with 3/3", targets[i], out.Status, out.Summary, out.Metrics)
		}
	}
	if p.ids.held != 0 {
		t.Errorf("%d ICMP IDs still held after every probe returned", p.ids.held)
	}
}

func TestICMPCancelIsNotLoss(t *testing.T) {
	p := newTestICMP(t)
	requireICMP(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	done := make(chan model.Outcome)
	go func() { done <- prepareOrReport(p.Prepare, icmpTarget("127.0.0.1", 100, 50*time.Millisecond)).Run(ctx) }()
	time.Sleep(20 * time.Millisecond) // let a packet or two go; the result does not depend on how many
	cancel()
	out := <-done
	if out.Status != model.StatusUnknown || !strings.HasPrefix(out.Summary, "ping cancelled — ") {
		t.Fatalf("got %v %q, want UNKNOWN \"ping cancelled — ...\"", out.Status, out.Summary)
	}
	if _, ok := out.Metrics["loss_pct"]; ok {
		t.Errorf("a cancelled run reported loss_pct %v", out.Metrics["loss_pct"])
	}
}

func TestICMPClosedProber(t *testing.T) {
	p := NewICMP()
	requireICMP(t, p)
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	out := probeWithin(p, icmpTarget("127.0.0.1", 3, 5*time.Millisecond), time.Second)
	if out.Status != model.StatusUnknown || out.Summary != "icmp prober closed" {
		t.Fatalf("got %v %q, want UNKNOWN \"icmp prober closed\"", out.Status, out.Summary)
	}
}
