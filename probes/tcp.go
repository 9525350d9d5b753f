package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"noctop/model"
)

// maxTCPRead bounds what a tcp check reads while waiting for its expected
// text: banners and short replies, not streams.
const maxTCPRead = 64 << 10

// TCP runs one tcp check: connect to the asset address on port, optionally
// send `send`, then read until every expected string has arrived (at most
// 64 KiB). Metrics: connect_ms, and response_ms and bytes_read when
// something is expected. A mismatch quotes what arrived (escaped, cut).
func (n *Net) TCP(ctx context.Context, t Target) model.Outcome {
	c := t.Check
	if t.Asset.Address == "" {
		return model.Unknown("asset %s has no address to connect to", t.Asset.Name)
	}
	if c.Port < 1 || c.Port > 65535 {
		return model.Unknown("tcp check needs a port between 1 and 65535, got %d", c.Port)
	}
	addr := hostPort(t.Asset.Address, c.Port)
	start := time.Now()
	conn, err := n.dialer().DialContext(ctx, "tcp", addr)
	if err != nil {
		return failure(ctx, start, "connecting to "+addr, err)
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	connect := time.Since(start)
	m := map[string]float64{"connect_ms": msOf(connect)}
	v := model.NewVerdict()

	if c.Send != "" {
		if _, err := io.WriteString(conn, c.Send); err != nil {
			o := failure(ctx, start, "sending", err)
			o.Metrics = m
			return o
		}
	}
	if len(c.ExpectList) == 0 {
		v.Judge(c.Latency.Threshold(), "connect", m["connect_ms"])
		return model.Outcome{Status: v.Status, Metrics: m, Degraded: true, // it connected: only slow
			Summary: joinReason(fmt.Sprintf("connected to port %d in %s", c.Port, fmtMS(connect)), v)}
	}

	got, rerr := readUntil(conn, c.ExpectList, maxTCPRead)
	elapsed := time.Since(start)
	m["response_ms"] = msOf(elapsed)
	m["bytes_read"] = float64(len(got))
	attrs := map[string]string{}
	line, _, _ := bytes.Cut(got, []byte("\n"))
	if line = bytes.TrimRight(line, "\r"); len(line) > 0 {
		attrs["first_line"] = quoteSome(line, 120)
	}
	missing := missingFrom(got, c.ExpectList)
	if len(missing) == 0 {
		v.Judge(c.Latency.Threshold(), "response", m["response_ms"])
		what := fmt.Sprintf("%q", c.ExpectList[0])
		if len(c.ExpectList) > 1 {
			what = fmt.Sprintf("all %d expected strings", len(c.ExpectList))
		}
		return model.Outcome{Status: v.Status, Metrics: m, Attrs: attrs, Degraded: true, // the right answer: only slow
			Summary: joinReason(fmt.Sprintf("got %s in %s", what, fmtMS(elapsed)), v)}
	}
	want := fmt.Sprintf("%q", missing[0])
	if len(missing) > 1 {
		want = fmt.Sprintf("%q and %d more", missing[0], len(missing)-1)
	}
	var reason string
	switch {
	case rerr == nil:
		reason = fmt.Sprintf("expected %s in the first %d KiB, got %s", want, maxTCPRead>>10, quoteSome(got, 80))
	case errors.Is(rerr, io.EOF):
		reason = fmt.Sprintf("expected %s, got %s before the server closed the connection", want, quoteSome(got, 80))
	case isTimeout(ctx, rerr):
		reason = fmt.Sprintf("%s, got %s", timeoutReason(ctx, start, "waiting for "+want), quoteSome(got, 80))
	default:
		_, r := classify(ctx, start, "reading", rerr)
		reason = fmt.Sprintf("%s while waiting for %s, got %s", r, want, quoteSome(got, 80))
	}
	return model.Outcome{Status: model.StatusCritical, Summary: reason, Metrics: m, Attrs: attrs}
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

// joinReason appends the verdict's threshold reasons to a base reason.
func joinReason(base string, v model.Verdict) string {
	if len(v.Reasons) == 0 {
		return base
	}
	return base + ", " + strings.Join(v.Reasons, "; ")
}
