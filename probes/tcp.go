package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"noctop/model"
)

// maxTCPRead bounds what a tcp check reads while waiting for its expected
// text: banners and short replies, not streams.
const maxTCPRead = 64 << 10

// tcpProbe is a tcp check made ready: where to connect, what to send and
// what to wait for.
type tcpProbe struct {
	n       *Net
	addr    string // host:port
	port    int
	send    string
	expect  []string
	latency model.Threshold
	primary string
}

// PrepareTCP is the tcp check's prepare step: the asset address and port
// joined.
func (n *Net) PrepareTCP(t Target) (Prepared, error) {
	c := t.Check
	if t.Asset.Address == "" {
		return nil, fmt.Errorf("tcp check %q needs an address, and asset %q has none", c.Name, t.Asset.Name)
	}
	switch {
	case c.Port == 0:
		return nil, fmt.Errorf("tcp check %q has no port", c.Name)
	case c.Port < 1 || c.Port > 65535:
		return nil, fmt.Errorf("port: want 1 to 65535, got %d", c.Port)
	}
	p := &tcpProbe{n: n, addr: hostPort(t.Asset.Address, c.Port), port: c.Port, send: c.Send,
		expect: c.ExpectList, latency: c.Latency.Threshold(), primary: model.MetricConnect}
	if len(p.expect) > 0 {
		p.primary = model.MetricResponse
	}
	return p, nil
}

// Run connects, optionally sends `send`, then reads until every expected
// string has arrived (at most 64 KiB). Metrics: connect_ms (the primary),
// and response_ms (then the primary) and bytes_read when something is
// expected. A mismatch quotes what arrived (escaped, cut).
func (p *tcpProbe) Run(ctx context.Context) model.Outcome {
	o := p.run(ctx)
	o.Primary = p.primary
	return o
}

func (p *tcpProbe) run(ctx context.Context) model.Outcome {
	start := time.Now()
	conn, err := p.n.dialer().DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return failure(ctx, start, "connecting to "+p.addr, err)
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	connect := time.Since(start)
	m := map[string]float64{model.MetricConnect: msOf(connect)}

	if p.send != "" {
		if _, err := io.WriteString(conn, p.send); err != nil {
			o := failure(ctx, start, "sending", err)
			o.Metrics = m
			return o
		}
	}
	if len(p.expect) == 0 {
		v := model.NewVerdict()
		v.Judge(p.latency, "connect", m[model.MetricConnect])
		return model.Outcome{Status: v.Status, Metrics: m, Degraded: true, // it connected: only slow
			Summary: model.Describe(v.Reasons, fmt.Sprintf("connected to port %d in %s", p.port, fmtMS(connect)))}
	}
	return p.await(ctx, conn, start, m)
}

// await reads the answer and judges it: every expected string, then the
// time it took.
func (p *tcpProbe) await(ctx context.Context, conn net.Conn, start time.Time, m map[string]float64) model.Outcome {
	got, rerr := readUntil(conn, p.expect, maxTCPRead)
	elapsed := time.Since(start)
	m[model.MetricResponse] = msOf(elapsed)
	m[model.MetricBytesRead] = float64(len(got))
	attrs := map[string]string{}
	line, _, _ := bytes.Cut(got, []byte("\n"))
	if line = bytes.TrimRight(line, "\r"); len(line) > 0 {
		attrs["first_line"] = quoteSome(line, 120)
	}
	missing := missingFrom(got, p.expect)
	if len(missing) == 0 {
		v := model.NewVerdict()
		v.Judge(p.latency, "response", m[model.MetricResponse])
		what := fmt.Sprintf("%q", p.expect[0])
		if len(p.expect) > 1 {
			what = fmt.Sprintf("all %d expected strings", len(p.expect))
		}
		return model.Outcome{Status: v.Status, Metrics: m, Attrs: attrs, Degraded: true, // the right answer: only slow
			Summary: model.Describe(v.Reasons, fmt.Sprintf("got %s in %s", what, fmtMS(elapsed)))}
	}
	return model.Outcome{Status: model.StatusCritical, Summary: mismatchReason(ctx, start, missing, got, rerr), Metrics: m, Attrs: attrs}
}

// mismatchReason says what was missing, what came instead and why the
// reading stopped.
func mismatchReason(ctx context.Context, start time.Time, missing []string, got []byte, rerr error) string {
	want := fmt.Sprintf("%q", missing[0])
	if len(missing) > 1 {
		want = fmt.Sprintf("%q and %d more", missing[0], len(missing)-1)
	}
	switch {
	case rerr == nil:
		return fmt.Sprintf("expected %s in the first %d KiB, got %s", want, maxTCPRead>>10, quoteSome(got, 80))
	case errors.Is(rerr, io.EOF):
		return fmt.Sprintf("expected %s, got %s before the server closed the connection", want, quoteSome(got, 80))
	case isTimeout(ctx, rerr):
		return fmt.Sprintf("%s, got %s", timeoutReason(ctx, start, "waiting for "+want), quoteSome(got, 80))
	}
	_, r := classify(ctx, start, "reading", rerr)
	return fmt.Sprintf("%s while waiting for %s, got %s", r, want, quoteSome(got, 80))
}

// readUntil reads until every want string is in the data, the peer closes,
// an error or the deadline, or limit bytes. err is nil only when all
// arrived or the limit was reached.
func readUntil(conn net.Conn, want []string, limit int) ([]byte, error) {
	buf := make([]byte, 0, 4096)
	for len(buf) < limit {
		if len(missingFrom(buf, want)) == 0 {
			return buf, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := conn.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+k]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func missingFrom(got []byte, want []string) []string {
	var miss []string
	for _, w := range want {
		if !bytes.Contains(got, []byte(w)) {
			miss = append(miss, w)
		}
	}
	return miss
}
