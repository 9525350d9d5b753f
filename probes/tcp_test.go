package probes

import (
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

func tcpTarget(addr string, c model.Check) Target {
	host, port, _ := net.SplitHostPort(addr)
	c.Type = model.CheckTCP
	c.Port, _ = strconv.Atoi(port)
	return target(model.Asset{Name: "gw", Address: host}, c)
}

func TestTCP(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	addr := l.TCPAddr()
	_, port, _ := net.SplitHostPort(addr)

	o := run(t, n.PrepareTCP, tcpTarget(addr, model.Check{}), 5*time.Second)
	expect(t, o, model.StatusOK, `connected to port `+port+` in [0-9.]+ ms`)
	if o.Metrics["connect_ms"] <= 0 {
		t.Errorf("connect_ms = %v", o.Metrics["connect_ms"])
	}

	o = run(t, n.PrepareTCP, tcpTarget(addr, model.Check{Expect: "220 noctop-lab"}), 5*time.Second)
	expect(t, o, model.StatusOK, `got "220 noctop-lab" in [0-9.]+ ms`)
	if o.Attrs["first_line"] != `"220 noctop-lab ESMTP ready"` || o.Metrics["bytes_read"] != float64(len(lab.Banner)) {
		t.Errorf("attrs = %v, metrics = %v", o.Attrs, o.Metrics)
	}

	// send, then wait for the echo; and a list of expectations.
	o = run(t, n.PrepareTCP, tcpTarget(addr, model.Check{Send: "PING lab\r\n", Expect: []any{"220 ", "PING lab\r\n"}}), 5*time.Second)
	expect(t, o, model.StatusOK, `got all 2 expected strings in [0-9.]+ ms`)

	// The banner is not what we wait for, and the server then waits for us:
	// the deadline ends it, and the reason quotes what arrived.
	o = run(t, n.PrepareTCP, tcpTarget(addr, model.Check{Expect: "SSH-2.0"}), 300*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 300ms waiting for "SSH-2.0", got "220 noctop-lab ESMTP ready\\r\\n"`)

	// By name, through the lab DNS server.
	o = run(t, n.PrepareTCP, tcpTarget(lab.MailName+":"+port, model.Check{Expect: "220"}), 5*time.Second)
	expect(t, o, model.StatusOK, `got "220" in [0-9.]+ ms`)
	o = run(t, n.PrepareTCP, tcpTarget("nope."+lab.Zone+":"+port, model.Check{}), 5*time.Second)
	expect(t, o, model.StatusCritical, `cannot resolve nope\.lab\.noctop\.test: no such host`)

	// mail-gw down: it accepts and closes without a banner.
	l.SetHealthy(lab.MailGW, false)
	o = run(t, n.PrepareTCP, tcpTarget(addr, model.Check{Expect: "220"}), 5*time.Second)
	expect(t, o, model.StatusCritical, `expected "220", got nothing before the server closed the connection`)
}

func TestTCPMismatchQuoting(t *testing.T) {
	n := &Net{}
	// Binary junk, then close: escaped in the reason.
	addr := serveTCP(t, func(c net.Conn) { c.Write([]byte("hello\x00\xff\r\n")); c.Close() })
	o := run(t, n.PrepareTCP, tcpTarget(addr.String(), model.Check{Expect: "OK"}), 5*time.Second)
	expect(t, o, model.StatusCritical, `expected "OK", got "hello\\x00\\xff\\r\\n" before the server closed the connection`)

	// A long answer is cut in the reason.
	long := strings.Repeat("0123456789", 20)
	addr = serveTCP(t, func(c net.Conn) { c.Write([]byte(long)); c.Close() })
	o = run(t, n.PrepareTCP, tcpTarget(addr.String(), model.Check{Expect: "OK"}), 5*time.Second)
	expect(t, o, model.StatusCritical, `expected "OK", got "`+long[:80]+`"… \(200 bytes\) before the server closed the connection`)

	// A stream that never contains the text: the read stops at 64 KiB.
	addr = serveTCP(t, func(c net.Conn) {
		defer c.Close()
		chunk := []byte(strings.Repeat("y", 4096))
		for {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	o = run(t, n.PrepareTCP, tcpTarget(addr.String(), model.Check{Expect: "OK"}), 5*time.Second)
	expect(t, o, model.StatusCritical, `expected "OK" in the first 64 KiB, got "y{80}"… \(65536 bytes\)`)
	if o.Metrics["bytes_read"] != maxTCPRead {
		t.Errorf("bytes_read = %v, want %d", o.Metrics["bytes_read"], maxTCPRead)
	}

	o = run(t, n.PrepareTCP, tcpTarget(addr.String(), model.Check{Expect: []any{"OK", "READY"}}), 5*time.Second)
	expect(t, o, model.StatusCritical, `expected "OK" and 1 more in the first 64 KiB, got .*`)
}

func TestTCPErrors(t *testing.T) {
	n := &Net{}
	host, port := closedPort(t)
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	expect(t, run(t, n.PrepareTCP, tcpTarget(addr, model.Check{}), 5*time.Second), model.StatusCritical, `connection refused by `+regexp.QuoteMeta(addr))

	// Reset as soon as accepted, while we wait for a banner.
	rst := serveTCP(t, resetting(false))
	// On loopback the RST may beat the end of connect(); both are a reset.
	expect(t, run(t, n.PrepareTCP, tcpTarget(rst.String(), model.Check{Expect: "220"}), 5*time.Second), model.StatusCritical,
		`connection reset by peer( while waiting for "220", got nothing)?`)

	tg := tcpTarget(addr, model.Check{})
	tg.Check.Port = 0
	expect(t, run(t, n.PrepareTCP, tg, time.Second), model.StatusUnknown, `tcp check "tcp" has no port`)
	tg = tcpTarget(addr, model.Check{})
	tg.Asset.Address = ""
	expect(t, run(t, n.PrepareTCP, tg, time.Second), model.StatusUnknown, `tcp check "tcp" needs an address, and asset "gw" has none`)
}
