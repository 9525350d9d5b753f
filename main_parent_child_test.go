package main

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// switchable is a TCP server on a fixed loopback port that can be stopped
// (connections refused) and started again on the same port.
type switchable struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	ln   net.Listener
}

func newSwitchable(t *testing.T) *switchable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &switchable{t: t, addr: ln.Addr().String()}
	s.serve(ln)
	t.Cleanup(s.stop)
	return s
}

func (s *switchable) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *switchable) serve(ln net.Listener) {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	go acceptAndClose(ln)
}

func (s *switchable) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
	}
}

func (s *switchable) start() {
	s.t.Helper()
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// TestParentChildThroughBinary runs the headless monitor on a switch and
// three servers behind it, all real TCP listeners, and stops and restarts
// them: the log never names a child as a root cause while the switch is
// failing, says "1 root cause" with three unreachable, and on recovery no
// child goes UNREACHABLE -> CRITICAL while its server is up; a child whose
// own server stays down becomes the root cause.
func TestParentChildThroughBinary(t *testing.T) {
	sw := newSwitchable(t)
	kids := []*switchable{newSwitchable(t), newSwitchable(t), newSwitchable(t)}
	var cfg strings.Builder
	cfg.WriteString("[defaults]\ninterval = \"400ms\"\ntimeout = \"200ms\"\nretries = 2\nretry_interval = \"200ms\"\n")
	asset := func(name string, port int, parents string) {
		fmt.Fprintf(&cfg, "\n[[asset]]\nname = %q\naddress = \"127.0.0.1\"\nparents = [%s]\n  [[asset.check]]\n  type = \"tcp\"\n  port = %d\n",
			name, parents, port)
	}
	asset("sw", sw.port(), "")
	for i, k := range kids {
		asset(fmt.Sprint("app", i+1), k.port(), `"sw"`)
	}
	text := cfg.String()
	path := writeConfig(t, text)
	if _, stderr, code := runBin(t, nil, "validate", "-c", path); code != 0 {
		t.Fatalf("config:\n%s\n%s", text, stderr)
	}

	h := startHeadless(t, path)
	// waitFor reads the log until cond holds; every line passes check.
	waitFor := func(what string, check func(logLine), cond func(logLine) bool) {
		t.Helper()
		h.waitLine(t, what, func(l logLine) bool {
			if !l.JSON {
				t.Errorf("not JSON: %q", l.Text)
			}
			check(l)
			return cond(l)
		})
	}
	noCheck := func(logLine) {}
	onlyCause := func(allowed ...string) func(logLine) {
		return func(l logLine) {
			for _, c := range l.CauseAssets {
				if !slices.Contains(allowed, c) {
					t.Errorf("%q names %s a root cause, allowed %v", l.Msg, c, allowed)
				}
			}
		}
	}
	// The first results: every server answers (a first OK is no event, so
	// wait for the scheduler's first sweep to be over).
	waitFor("the start", noCheck, func(l logLine) bool { return l.Msg == "noctop started" })
	time.Sleep(time.Second)

	// Onset: the switch fails and with it everything behind it.
	sw.stop()
	for _, k := range kids {
		k.stop()
	}
	waitFor("1 root cause with 3 unreachable", onlyCause("sw"), func(l logLine) bool {
		return l.Kind == "status" && l.RootCauses == 1 && l.Unreachable == 3
	})

	// Recovery: all back. No child goes UNREACHABLE -> CRITICAL.
	sw.start()
	for _, k := range kids {
		k.start()
	}
	noFalseCritical := func(l logLine) {
		onlyCause("sw")(l)
		if l.Kind == "state" && l.Check == "" && l.From == "UNREACHABLE" && l.To == "CRITICAL" {
			t.Errorf("%s went UNREACHABLE -> CRITICAL while its server is up: %s", l.Asset, l.Msg)
		}
	}
	waitFor("all OK", noFalseCritical, func(l logLine) bool { return l.Kind == "status" && l.Msg == "status: all OK" })

	// Again, but app3's own server stays down: once rechecked it is the
	// root cause, and only it.
	sw.stop()
	for _, k := range kids {
		k.stop()
	}
	waitFor("the second outage", onlyCause("sw"), func(l logLine) bool {
		return l.Kind == "status" && l.RootCauses == 1 && l.Unreachable == 3
	})
	sw.start()
	kids[0].start()
	kids[1].start()
	waitFor("app3 as the root cause", onlyCause("sw", "app3"), func(l logLine) bool {
		return l.Kind == "status" && l.RootCauses == 1 && slices.Equal(l.CauseAssets, []string{"app3"}) && l.Unreachable == 0
	})
}
