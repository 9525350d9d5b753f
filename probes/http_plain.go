package probes

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
)

// maxResponseHeader bounds a response's status line and headers, as the
// TLS path's http.Transport does with MaxResponseHeaderBytes.
const maxResponseHeader = 64 << 10

// errHeaderTooLarge: a server's headers went past maxResponseHeader.
var errHeaderTooLarge = fmt.Errorf("server response headers exceeded %d bytes", maxResponseHeader)

// plainTransport sends a plain-HTTP request on a connection of its own in
// the calling goroutine: dial, write, read the headers, and the body on the
// caller's reads, closed with it. http.Transport does the same with three
// goroutines and their hand-offs per request (dial, read loop, write
// loop), and since a check never reuses a connection, that machinery
// bought nothing: a monitor of 1,000 http checks spent half its CPU in
// net/http. https and everything else go to tr (HTTP/2, TLS, its
// certificates). The client above still follows redirects and asks its
// policy; the trace hooks fire as the transport's do.
type plainTransport struct {
	tr      *http.Transport
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	buffers *sync.Pool // of *plainBuffers, shared by the checks of one Net
}

// plainBuffers are one request's write and read buffers. They are pooled:
// allocating and zeroing them was a third of the bytes a monitor of 1,000
// http checks allocated.
type plainBuffers struct {
	w *bufio.Writer
	r *bufio.Reader
}

func (t *plainTransport) getBuffers(conn net.Conn, lr io.Reader) *plainBuffers {
	if b, ok := t.buffers.Get().(*plainBuffers); ok {
		b.w.Reset(conn)
		b.r.Reset(lr)
		return b
	}
	return &plainBuffers{w: bufio.NewWriterSize(conn, 2048), r: bufio.NewReaderSize(lr, 4096)}
}

// putBuffers gives b back once nothing reads or writes through it; the
// resets drop the connection it held.
func (t *plainTransport) putBuffers(b *plainBuffers) {
	b.w.Reset(nil)
	b.r.Reset(nil)
	t.buffers.Put(b)
}

func (t *plainTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" {
		return t.tr.RoundTrip(req)
	}
	ctx := req.Context()
	trace := httptrace.ContextClientTrace(ctx)
	addr := canonicalAddr(req)
	if trace != nil && trace.GetConn != nil {
		trace.GetConn(addr)
	}
	conn, err := t.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{Conn: conn})
	}
	stop := closeOnDone(ctx, conn)
	lr := &headerLimit{r: conn, left: maxResponseHeader, trace: trace}
	bufs := t.getBuffers(conn, lr)
	fail := func(err error) (*http.Response, error) {
		stop()
		conn.Close()
		t.putBuffers(bufs)
		if ctx.Err() != nil { // closeOnDone or the deadline ended it
			return nil, fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return nil, err
	}
	// One request per connection: say so, as the transport does without
	// keep-alives. A shallow copy: the caller's request is not ours.
	out := *req
	out.Close = true
	err = out.Write(bufs.w)
	if err == nil {
		err = bufs.w.Flush()
	}
	if trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{Err: err})
	}
	if err != nil {
		return fail(err)
	}
	var resp *http.Response
	for {
		if resp, err = http.ReadResponse(bufs.r, req); err != nil {
			return fail(err)
		}
		// 1xx (but 101) is interim: the final answer follows.
		if resp.StatusCode < 100 || resp.StatusCode > 199 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		if trace != nil && trace.Got1xxResponse != nil {
			if err := trace.Got1xxResponse(resp.StatusCode, nil); err != nil {
				return fail(err)
			}
		}
	}
	lr.left = -1 // the body: the caller bounds what it reads
	resp.Body = &plainBody{ReadCloser: resp.Body, conn: conn, stop: stop, t: t, bufs: bufs}
	return resp, nil
}

// canonicalAddr is the request's host:port, port 80 when the URL has none.
func canonicalAddr(req *http.Request) string {
	if port := req.URL.Port(); port != "" {
		return net.JoinHostPort(req.URL.Hostname(), port)
	}
	return net.JoinHostPort(req.URL.Hostname(), "80")
}

// headerLimit reads from r at most left bytes while left >= 0, and fires
// the trace's first-byte hook on the first byte.
type headerLimit struct {
	r     io.Reader
	left  int
	trace *httptrace.ClientTrace
	got   bool
}

func (l *headerLimit) Read(p []byte) (int, error) {
	if l.left == 0 {
		return 0, errHeaderTooLarge
	}
	if l.left > 0 && len(p) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	if l.left > 0 {
		l.left -= n
	}
	if n > 0 && !l.got {
		l.got = true
		if l.trace != nil && l.trace.GotFirstResponseByte != nil {
			l.trace.GotFirstResponseByte()
		}
	}
	return n, err
}

// plainBody closes the connection with the body, and gives the buffers
// back (once: a second Close must not hand them to two requests).
type plainBody struct {
	io.ReadCloser
	conn net.Conn
	stop func() bool
	t    *plainTransport
	bufs *plainBuffers
}

func (b *plainBody) Close() error {
	b.stop()
	err := errors.Join(b.ReadCloser.Close(), b.conn.Close())
	if b.bufs != nil {
		b.t.putBuffers(b.bufs)
		b.bufs = nil
	}
	return err
}
