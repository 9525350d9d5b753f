package probes

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// The network probe tests run against real servers on loopback: the lab's,
// httptest servers, and plain listeners. Names resolve through the lab DNS
// server only (lab.Resolver), never through the system resolver.

func startLab(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// target builds a check as the loader would: defaults applied.
func target(a model.Asset, c model.Check) Target {
	a.Checks = []model.Check{c}
	cfg := model.Config{Assets: []model.Asset{a}}
	cfg.ApplyDefaults()
	return Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}
}

// run prepares tg and runs it once with a deadline, as the scheduler does
// (a prepare error is the UNKNOWN outcome the scheduler would report).
func run(t *testing.T, prepare PrepareFunc, tg Target, timeout time.Duration) model.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	o := prepareOrReport(prepare, tg).Run(ctx)
	if o.Summary == "" {
		t.Errorf("%s outcome %s has no reason", tg.Check.Type, o.Status)
	}
	return o
}

// expect checks the status and that the reason matches a regular
// expression (anchored).
func expect(t *testing.T, o model.Outcome, status model.Status, reason string) {
	t.Helper()
	if o.Status != status || !regexp.MustCompile("^"+reason+"$").MatchString(o.Summary) {
		t.Errorf("got %s %q\nwant %s /%s/", o.Status, o.Summary, status, reason)
	}
}

// closedPort returns a loopback address where nothing listens: listen, note
// the port, close.
func closedPort(t *testing.T) (host string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	return "127.0.0.1", addr.Port
}

// serveTCP accepts connections on loopback and hands each to handle, which
// owns and closes it. The listener closes when the test ends.
func serveTCP(t *testing.T, handle func(net.Conn)) *net.TCPAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().(*net.TCPAddr)
}

// resetting closes each connection with an RST (SO_LINGER 0) after reading
// the first bytes the client sends, or at once when read is false.
func resetting(read bool) func(net.Conn) {
	return func(c net.Conn) {
		if read {
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			buf := make([]byte, 1024)
			c.Read(buf)
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	}
}

// silent accepts and never says anything until the client leaves.
func silent(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

func TestRoundDuration(t *testing.T) {
	for in, want := range map[time.Duration]string{
		5*time.Second + 3*time.Millisecond:          "5s",
		1500*time.Millisecond + 7*time.Microsecond:  "1.5s",
		200*time.Millisecond + 40*time.Microsecond:  "200ms",
		12*time.Second + 400*time.Millisecond:       "12s",
		299*time.Millisecond + 100*time.Microsecond: "300ms", // a 300 ms budget seen from a late start
		250 * time.Millisecond:                      "250ms",
		42*time.Millisecond + 400*time.Microsecond:  "42ms",
	} {
		if got := roundDuration(in).String(); got != want {
			t.Errorf("roundDuration(%v) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteSome(t *testing.T) {
	if got := quoteSome([]byte("220 ok\r\n\x00\xff"), 80); got != `"220 ok\r\n\x00\xff"` {
		t.Errorf("quoteSome escapes: %s", got)
	}
	if got := quoteSome([]byte(strings.Repeat("a", 100)), 10); got != `"aaaaaaaaaa"… (100 bytes)` {
		t.Errorf("quoteSome cuts: %s", got)
	}
	if got := quoteSome(nil, 10); got != "nothing" {
		t.Errorf("quoteSome(nil) = %s", got)
	}
}

func TestFmtMS(t *testing.T) {
	for in, want := range map[time.Duration]string{
		12345 * time.Microsecond: "12 ms",
		3456 * time.Microsecond:  "3.5 ms",
		350 * time.Microsecond:   "0.35 ms",
		2 * time.Second:          "2000 ms",
	} {
		if got := fmtMS(in); got != want {
			t.Errorf("fmtMS(%v) = %s, want %s", in, got, want)
		}
	}
}

// TestSetDispatch: the Set routes network checks to Net with its resolver.
func TestSetDispatch(t *testing.T) {
	l := startLab(t)
	s := NewSet(WithResolver(l.Resolver()))
	defer s.Close()
	_, port, _ := net.SplitHostPort(l.AppAddr(lab.WebShop))
	tg := target(model.Asset{Name: "web"}, model.Check{Type: model.CheckHTTP, URL: "http://" + lab.WWWName + ":" + port + "/healthy"})
	expect(t, run(t, s.Prepare, tg, 5*time.Second), model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	// Probe prepares and runs at once; what its prepare step refuses is
	// UNKNOWN with the reason.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	expect(t, s.Probe(ctx, tg), model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	tg = target(model.Asset{Name: "x"}, model.Check{Type: "gopher"})
	expect(t, s.Probe(ctx, tg), model.StatusUnknown, `no probe for check type "gopher"`)
}
