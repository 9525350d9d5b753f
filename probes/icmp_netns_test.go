package probes

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"noctop/model"
)

// The namespace tests run the probe for real inside network namespaces this
// test creates: loss and dead hosts come from nftables rules there, the
// ICMP mode from that namespace's net.ipv4.ping_group_range. Each scenario
// re-executes this test binary under `ip netns exec` with
// NOCTOP_ICMP_HELPER naming the scenario (TestICMPNetnsHelper below), so
// the sockets, the sysctl and any dropped privileges belong to that process
// alone; the host's settings are never touched.

const nsRules = `
table inet noctop {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr 127.0.0.2 numgen random mod 100 < 10 drop
		ip daddr 127.0.0.3 drop
		ip6 daddr 2001:db8::3 drop
	}
	chain output {
		type filter hook output priority 0; policy accept;
		ip daddr 127.0.0.4 drop
	}
}
`

// skipOrFail skips, or fails when NOCTOP_REQUIRE_ICMP=1.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("NOCTOP_REQUIRE_ICMP") == "1" {
		t.Fatalf("NOCTOP_REQUIRE_ICMP=1 but "+format, args...)
	}
	t.Skipf(format, args...)
}

func runCmd(t *testing.T, stdin string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// newICMPNetns creates a namespace with lo up, the nftables rules above and
// the given ping_group_range, and deletes it when the test ends.
func newICMPNetns(t *testing.T, suffix, pingGroups string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		skipOrFail(t, "network namespace tests need root (euid %d)", os.Geteuid())
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s not installed: %v", tool, err)
		}
	}
	ns := fmt.Sprintf("noctop-icmp-%d-%s", os.Getpid(), suffix)
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		skipOrFail(t, "cannot create a network namespace: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", ns, err, out)
		}
	})
	runCmd(t, "", "ip", "-n", ns, "link", "set", "lo", "up")
	runCmd(t, "", "ip", "-n", ns, "addr", "add", "2001:db8::3/128", "dev", "lo", "nodad")
	runCmd(t, nsRules, "ip", "netns", "exec", ns, "nft", "-f", "-")
	runCmd(t, pingGroups, "ip", "netns", "exec", ns, "sh", "-c", "cat > /proc/sys/net/ipv4/ping_group_range")
	return ns
}

// inNetns runs scenario (with ICMP mode mode, "" for detection) in a
// child test process inside ns and fails with its output if it failed.
func inNetns(t *testing.T, ns, scenario, mode string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, exe, "-test.run=^TestICMPNetnsHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "NOCTOP_ICMP_HELPER="+scenario, "NOCTOP_ICMP_HELPER_MODE="+mode)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestICMPNetnsHelper") {
		t.Fatalf("scenario %q (mode %q) in %s: %v\n%s", scenario, mode, ns, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "icmp_netns_test.go") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

func TestICMPNetns(t *testing.T) {
	allowed := newICMPNetns(t, "allowed", "0 2147483647")
	closed := newICMPNetns(t, "closed", "1 0")
	t.Run("detect/prefers-datagram", func(t *testing.T) { t.Parallel(); inNetns(t, allowed, "modes", "") })
	t.Run("detect/raw-when-datagram-refused", func(t *testing.T) { t.Parallel(); inNetns(t, closed, "raw-detected", "") })
	for _, mode := range []ICMPMode{ICMPDatagram, ICMPRaw} {
		for _, sc := range []string{"loopback", "dead", "loss", "sendfail"} {
			t.Run(string(mode)+"/"+sc, func(t *testing.T) {
				t.Parallel()
				inNetns(t, allowed, sc, string(mode))
			})
		}
	}
	t.Run("nonroot/datagram", func(t *testing.T) { t.Parallel(); inNetns(t, allowed, "nonroot-datagram", "") })
	t.Run("nonroot/unavailable", func(t *testing.T) { t.Parallel(); inNetns(t, closed, "unavailable", "") })
}

// TestICMPNetnsHelper is the child side of TestICMPNetns.
func TestICMPNetnsHelper(t *testing.T) {
	scenario := os.Getenv("NOCTOP_ICMP_HELPER")
	if scenario == "" {
		t.Skip("runs only as a child of TestICMPNetns")
	}
	mode := ICMPMode(os.Getenv("NOCTOP_ICMP_HELPER_MODE"))
	var opts []ICMPOption
	if mode != "" {
		opts = append(opts, WithICMPModes(mode))
	}
	switch scenario {
	case "modes":
		if m := newTestICMP(t).Mode(); m != ICMPDatagram {
			t.Errorf("root with ping_group_range open: mode %s, want datagram (preferred)", m)
		}
		if m := newTestICMP(t, WithICMPModes(ICMPRaw)).Mode(); m != ICMPRaw {
			t.Errorf("raw only: mode %s, want raw", m)
		}
	case "raw-detected":
		p := newTestICMP(t)
		if p.Mode() != ICMPRaw {
			t.Fatalf("root with ping_group_range \"1 0\": mode %s (%v), want raw", p.Mode(), p.ModeErr())
		}
		checkAllReceived(t, probeWithin(p, icmpTarget("127.0.0.1", 3, 5*time.Millisecond), 2*time.Second))
	case "loopback":
		p := helperICMP(t, mode, opts)
		for _, a := range []string{"127.0.0.1", "::1"} {
			checkAllReceived(t, probeWithin(p, icmpTarget(a, 3, 5*time.Millisecond), 2*time.Second))
		}
		// Concurrent probes of one address on the shared socket: each
		// counts its own replies (in datagram mode the kernel rewrites
		// the echo ID, so only the payload ID tells them apart).
		outs := make([]model.Outcome, 20)
		var wg sync.WaitGroup
		for i := range outs {
			wg.Go(func() { outs[i] = probeWithin(p, icmpTarget("127.0.0.1", 3, 5*time.Millisecond), 2*time.Second) })
		}
		wg.Wait()
		for _, out := range outs {
			checkAllReceived(t, out)
		}
	case "dead":
		p := helperICMP(t, mode, opts)
		for _, a := range []string{"127.0.0.3", "2001:db8::3"} {
			out := probeWithin(p, icmpTarget(a, 3, 20*time.Millisecond), time.Second)
			t.Logf("%s: %v %q", a, out.Status, out.Summary)
			if out.Status != model.StatusCritical || out.Summary != "3/3 lost" {
				t.Errorf("%s (all dropped): %v %q, want CRITICAL \"3/3 lost\"", a, out.Status, out.Summary)
			}
			if m := out.Metrics; m["loss_pct"] != 100 || m["sent"] != 3 || m["received"] != 0 || len(m) != 3 {
				t.Errorf("%s metrics %v: want loss_pct 100, sent 3, received 0 and no RTTs", a, m)
			}
		}
	case "loss":
		p := helperICMP(t, mode, opts)
		tg := icmpTarget("127.0.0.2", model.MaxICMPCount, time.Millisecond)
		warn, crit := 1.0, 90.0
		tg.Check.Loss = &model.Limits{Warn: &warn, Crit: &crit}
		out := probeWithin(p, tg, 2*time.Second)
		t.Logf("%s: %v %q", tg.Asset.Address, out.Status, out.Summary)
		// 100 packets at 10%: P(no loss) < 3e-5, P(loss over 30%) < 1e-8.
		m := out.Metrics
		if m["sent"] != model.MaxICMPCount || m["loss_pct"] < 1 || m["loss_pct"] > 30 {
			t.Errorf("10%% drop rule: %q %v, want sent %d and loss 1..30%%", out.Summary, m, model.MaxICMPCount)
		}
		if out.Status != model.StatusWarning || !strings.HasPrefix(out.Summary, "loss ") || !strings.Contains(out.Summary, "% >= warn 1% — ") {
			t.Errorf("got %v %q, want WARNING \"loss N%% >= warn 1%% — ...\"", out.Status, out.Summary)
		}
	case "sendfail":
		p := helperICMP(t, mode, opts)
		for _, tc := range []struct {
			addr    string
			status  model.Status
			summary string
			local   bool // this machine's firewall, not the target
		}{
			{"127.0.0.4", model.StatusUnknown, "send to 127.0.0.4 failed: operation not permitted — 0 of 3 sent, 0 received", true},
			// No route: this namespace has only lo, so nothing leaves it.
			{"192.0.2.1", model.StatusCritical, "send to 192.0.2.1 failed: network is unreachable — 0 of 3 sent, 0 received", false},
		} {
			out := probeWithin(p, icmpTarget(tc.addr, 3, 5*time.Millisecond), time.Second)
			t.Logf("%s: %v %q", tc.addr, out.Status, out.Summary)
			if out.Status != tc.status || out.Summary != tc.summary || out.Local != tc.local {
				t.Errorf("%s: %v %q local %v, want %v %q local %v", tc.addr, out.Status, out.Summary, out.Local, tc.status, tc.summary, tc.local)
			}
			if _, ok := out.Metrics["loss_pct"]; ok {
				t.Errorf("%s: a failed send reported loss_pct %v", tc.addr, out.Metrics["loss_pct"])
			}
		}
	case "nonroot-datagram":
		dropPrivileges(t)
		p := newTestICMP(t)
		if p.Mode() != ICMPDatagram {
			t.Fatalf("uid 65534 with ping_group_range open: mode %s (%v), want datagram", p.Mode(), p.ModeErr())
		}
		checkAllReceived(t, probeWithin(p, icmpTarget("127.0.0.1", 3, 5*time.Millisecond), 2*time.Second))
		checkAllReceived(t, probeWithin(p, icmpTarget("::1", 3, 5*time.Millisecond), 2*time.Second))
	case "unavailable":
		dropPrivileges(t)
		p := newTestICMP(t)
		if p.Mode() != ICMPUnavailable || !errors.Is(p.ModeErr(), ErrICMPUnavailable) {
			t.Fatalf("uid 65534, ping_group_range \"1 0\": mode %s, err %v; want unavailable, ErrICMPUnavailable", p.Mode(), p.ModeErr())
		}
		out := probeWithin(p, icmpTarget("127.0.0.1", 3, 5*time.Millisecond), time.Second)
		t.Logf("%v %q", out.Status, out.Summary)
		bin, _ := os.Executable()
		for _, want := range []string{
			"ICMP not permitted: ",
			"open datagram ICMPv4 socket: permission denied (group 65534 not in net.ipv4.ping_group_range \"1 0\")",
			"open raw ICMPv4 socket: operation not permitted (needs root or CAP_NET_RAW)",
			"run as root",
			"`setcap cap_net_raw+ep " + bin + "`",
			"`sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`",
		} {
			if !strings.Contains(out.Summary, want) {
				t.Errorf("reason %q lacks %q", out.Summary, want)
			}
		}
		if out.Status != model.StatusUnknown || out.Attrs["icmp_mode"] != "unavailable" || !out.Local {
			t.Errorf("got %v, attrs %v, local %v; want UNKNOWN, icmp_mode unavailable, local", out.Status, out.Attrs, out.Local)
		}
		// An IPv6 target: the reason names the ICMPv6 sockets.
		out = probeWithin(p, icmpTarget("::1", 3, 5*time.Millisecond), time.Second)
		t.Logf("%v %q", out.Status, out.Summary)
		for _, want := range []string{
			"open datagram ICMPv6 socket: permission denied (group 65534 not in net.ipv4.ping_group_range \"1 0\")",
			"open raw ICMPv6 socket: operation not permitted (needs root or CAP_NET_RAW)",
			"`setcap cap_net_raw+ep " + bin + "`",
		} {
			if !strings.Contains(out.Summary, want) {
				t.Errorf("reason %q lacks %q", out.Summary, want)
			}
		}
		if strings.Contains(out.Summary, "ICMPv4") || out.Status != model.StatusUnknown || !out.Local {
			t.Errorf("IPv6 target: %v %q, local %v; want UNKNOWN naming only ICMPv6, local", out.Status, out.Summary, out.Local)
		}
	default:
		t.Fatalf("unknown scenario %q", scenario)
	}
}

// helperICMP builds a prober that must have the wanted mode.
func helperICMP(t *testing.T, mode ICMPMode, opts []ICMPOption) *ICMP {
	t.Helper()
	p := newTestICMP(t, opts...)
	if p.Mode() != mode {
		t.Fatalf("mode %s (%v), want %s", p.Mode(), p.ModeErr(), mode)
	}
	return p
}

// dropPrivileges turns this whole process (every thread) into
// nobody:nogroup without capabilities.
func dropPrivileges(t *testing.T) {
	t.Helper()
	if err := syscall.Setgroups(nil); err != nil {
		t.Fatalf("setgroups: %v", err)
	}
	if err := syscall.Setgid(65534); err != nil {
		t.Fatalf("setgid: %v", err)
	}
	if err := syscall.Setuid(65534); err != nil {
		t.Fatalf("setuid: %v", err)
	}
}
