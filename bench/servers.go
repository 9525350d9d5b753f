package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Servers the measured processes talk to. They run in this process, so
// their CPU is in no measured figure.

// httpServer answers GET /healthy with "ok" and counts requests.
type httpServer struct {
	URL  string
	hits atomic.Int64
	srv  *http.Server
	done chan struct{}
}

func startHTTP() (*httpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &httpServer{URL: "http://" + ln.Addr().String() + "/healthy", done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthy", func(w http.ResponseWriter, _ *http.Request) {
		h.hits.Add(1)
		io.WriteString(w, "ok\n")
	})
	h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(h.done)
		h.srv.Serve(ln)
	}()
	return h, nil
}

func (h *httpServer) Close() error {
	err := h.srv.Close()
	<-h.done
	return err
}

// tcpListeners accept connections and close them at once (a connect-only
// tcp check), on several loopback addresses so that connections spread
// over more address pairs.
type tcpListeners struct {
	Addrs   []string // host:port
	accepts atomic.Int64
	lns     []net.Listener
	wg      sync.WaitGroup
}

// startTCP listens on 127.3.0.1 ... 127.3.0.n.
func startTCP(n int) (*tcpListeners, error) {
	t := &tcpListeners{}
	for i := range n {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.3.0.%d:0", i+1))
		if err != nil {
			t.Close()
			return nil, err
		}
		t.lns = append(t.lns, ln)
		t.Addrs = append(t.Addrs, ln.Addr().String())
		t.wg.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					if errors.Is(err, net.ErrClosed) {
						return
					}
					time.Sleep(10 * time.Millisecond) // EMFILE and the like: let it pass
					continue
				}
				t.accepts.Add(1)
				c.Close()
			}
		})
	}
	return t, nil
}

func (t *tcpListeners) Close() error {
	for _, ln := range t.lns {
		ln.Close()
	}
	t.wg.Wait()
	return nil
}
