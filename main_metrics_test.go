package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
)

// getMetrics scrapes url and parses Prometheus's text format; an error
// when it cannot (not listening yet, or not /metrics).
func getMetrics(url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, body)
	}
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	return p.TextToMetricFamilies(strings.NewReader(string(body)))
}

// checkStatuses reads noctop_check_status as asset/check -> code.
func checkStatuses(fams map[string]*dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for _, m := range fams["noctop_check_status"].GetMetric() {
		var asset, check string
		for _, l := range m.GetLabel() {
			switch l.GetName() {
			case "asset":
				asset = l.GetValue()
			case "check":
				check = l.GetValue()
			}
		}
		out[asset+"/"+check] = m.GetGauge().GetValue()
	}
	return out
}

// The headless monitor serves /metrics on --metrics-listen: the checks'
// statuses once they ran, the trap receiver's counts, build info; SIGTERM
// shuts it down with the monitor and frees the port.
func TestHeadlessMetricsListen(t *testing.T) {
	trapPort := freeUDPPort(t)
	path := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  name = "up"
  port = %d
  retries = 1
  [[asset.check]]
  type = "tcp"
  name = "down"
  port = %d
  retries = 1
  timeout = "1s"

[traps]
listen = "127.0.0.1:%d"
communities = ["public"]
`, listening(t), closedPort(t), trapPort))
	h := startLogging(t, exec.Command(binPath, "--headless", "--log-format", "json", "-c", path, "--metrics-listen", "127.0.0.1:0"))
	started := h.waitLine(t, "noctop started", msgIs("noctop started"))
	// Port 0: the start line says which port the kernel chose.
	addr := strings.TrimSuffix(strings.TrimPrefix(started.Metrics, "http://"), "/metrics")
	if !strings.HasPrefix(started.Metrics, "http://127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Fatalf("start line names metrics %q", started.Metrics)
	}

	// Garbage on the trap port, once it is bound: counted as malformed.
	h.waitLine(t, "the trap receiver listening", func(l logLine) bool {
		return l.Kind == "trap" && strings.HasPrefix(l.Msg, "SNMP trap receiver listening on udp 127.0.0.1:")
	})
	c, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", trapPort))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Write([]byte("not snmp"))
	c.Close()

	url := "http://" + addr + "/metrics"
	var fams map[string]*dto.MetricFamily
	var last error
	for range 600 { // the first runs start within the scheduler's spread
		fams, last = getMetrics(url)
		st := checkStatuses(fams)
		if last == nil && st["web1/up"] == 0 && st["web1/down"] == 2 && trapCount(fams, "malformed") == 1 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	st := checkStatuses(fams)
	if last != nil || len(st) != 2 || st["web1/up"] != 0 || st["web1/down"] != 2 {
		t.Fatalf("statuses %v (%v), want web1/up 0 (OK) and web1/down 2 (CRITICAL)\n%s", st, last, h.log())
	}
	if n := trapCount(fams, "malformed"); n != 1 {
		t.Errorf("malformed traps %v, want 1", n)
	}
	if fams["noctop_build_info"] == nil || fams["go_goroutines"] == nil {
		t.Error("no build info or Go runtime metrics")
	}

	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h.log())
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the metrics port is still taken after the monitor stopped: %v", err)
	}
	ln.Close()
}

func trapCount(fams map[string]*dto.MetricFamily, result string) float64 {
	for _, m := range fams["noctop_traps_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "result" && l.GetValue() == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return -1
}

// A busy or malformed --metrics-listen stops noctop at start, exit 3,
// saying which flag and why.
func TestMetricsListenRefused(t *testing.T) {
	path := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  port = %d
`, closedPort(t)))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct{ addr, want string }{
		{busy.Addr().String(), "address already in use"},
		{"nonsense", "missing port in address"},
	} {
		_, stderr, code := runBin(t, nil, "--headless", "-c", path, "--metrics-listen", tc.addr)
		if code != 3 || !strings.Contains(stderr, "--metrics-listen "+tc.addr) || !strings.Contains(stderr, tc.want) {
			t.Errorf("--metrics-listen %s: exit %d, want 3 and %q\n%s", tc.addr, code, tc.want, stderr)
		}
		if strings.Contains(stderr, "noctop started") {
			t.Errorf("--metrics-listen %s: the monitor started:\n%s", tc.addr, stderr)
		}
	}
}

// The dashboard serves /metrics too, and frees the port when it ends.
func TestDashboardMetricsListen(t *testing.T) {
	config := dashboardConfig(t)
	tm := newTmuxTerm(t)
	addr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	pid := tm.startDashboard(config, "--metrics-listen", addr)
	var st map[string]float64
	tm.waitFor("db/tcp OK in /metrics", func() bool {
		fams, err := getMetrics("http://" + addr + "/metrics")
		st = checkStatuses(fams)
		return err == nil && len(st) == 1 && st["db/tcp"] == 0
	})
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	tm.waitScreen("exit=0", "the shell to print the exit code")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the metrics port is still taken after the dashboard ended: %v", err)
	}
	ln.Close()
}

// The demo serves /metrics too: its lab's SNMP switches give interface
// series end to end (a real agent on loopback, the probe, the engine, the
// exporter).
func TestDemoMetricsListen(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	h := startLogging(t, exec.Command(binPath, "demo", "--headless", "--no-outage", "--log-format", "json", "--metrics-listen", addr))
	h.waitLine(t, "noctop started", msgIs("noctop started"))
	var fams map[string]*dto.MetricFamily
	ok := false
	for range 600 {
		var err error
		if fams, err = getMetrics("http://" + addr + "/metrics"); err == nil &&
			len(fams["noctop_interface_bits_per_second"].GetMetric()) > 0 && len(checkStatuses(fams)) >= 10 {
			ok = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ok {
		t.Fatalf("no interface series or too few checks: statuses %v\n%s", checkStatuses(fams), h.log())
	}
	for _, m := range fams["noctop_interface_bits_per_second"].GetMetric() {
		if v := m.GetGauge().GetValue(); v < 0 {
			t.Errorf("negative rate %v: %v", v, m.GetLabel())
		}
	}
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h.log())
	}
}
