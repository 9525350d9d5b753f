package serve

import (
	"fmt"
	"io"
	"net"
	"regexp"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// Garbage on the port, clients that hang up mid-handshake and a burst of
// 10,000 connections: the server goes on serving its viewers, and the
// engine answers.
func TestBadClients(t *testing.T) {
	r := newRig(t, Options{})
	s := openScreen(t, r.login(r.viewer), 100, 30, true)
	s.waitText("rig.toml")
	addr := r.srv.Addr().String()
	hit := func(send string, wait bool) error {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close()
		if send != "" {
			if _, err := io.WriteString(c, send); err != nil {
				return err
			}
		}
		if wait { // until the server hangs up
			_ = c.SetDeadline(time.Now().Add(waitFor))
			_, err = io.Copy(io.Discard, c)
			if err != nil {
				return fmt.Errorf("the server did not hang up: %w", err)
			}
		}
		return nil
	}
	// Not SSH at all: x/crypto/ssh skips lines before a version, so this
	// one would hold its connection until the handshake timeout.
	if err := hit("GET / HTTP/1.1\r\nHost: x\r\n\r\n", false); err != nil {
		t.Fatal(err)
	}
	if err := hit("SSH-2.0-x\r\n\x00\x00\x00\x10garbage-garbage!", true); err != nil {
		t.Fatal(err)
	}
	const burst, workers = 10000, 32
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed int
	var first error
	for w := range workers {
		wg.Go(func() {
			for i := w; i < burst; i += workers {
				send := "" // connect and hang up; every other one mid-handshake
				if i%2 == 1 {
					send = "SSH-2.0-half\r\n"
				}
				if err := hit(send, false); err != nil {
					mu.Lock()
					failed++
					first = err
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		t.Logf("%d of %d connections failed on the client side (%v)", failed, burst, first)
	}
	r.submit(model.CheckKey{Asset: "web", Check: "http"}, model.StatusWarning, "after-burst")
	s.waitText("after-burst")
	n := openScreen(t, r.login(r.operator), 100, 30, true)
	n.waitText("after-burst")
}

// A terminal resized to 1x1 (and 0x0) and back draws again.
func TestTinyResize(t *testing.T) {
	r := newRig(t, Options{})
	s := openScreen(t, r.login(r.viewer), 100, 30, true)
	s.waitText("rig.toml")
	for _, wh := range [][2]int{{1, 1}, {0, 0}, {2, 1}} {
		if err := s.sess.WindowChange(wh[1], wh[0]); err != nil {
			t.Fatal(err)
		}
	}
	r.submit(model.CheckKey{Asset: "core-sw1", Check: "icmp"}, model.StatusCritical, "while-tiny")
	if err := s.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	s.waitText("while-tiny")
}

// colourSGR matches an SGR sequence that sets a colour.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9]+;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m`)

// NO_COLOR sent by the client drops colours from its session only.
func TestNoColorPerSession(t *testing.T) {
	r := newRig(t, Options{})
	r.submit(model.CheckKey{Asset: "core-sw1", Check: "icmp"}, model.StatusCritical, "lost")
	plain := openScreen(t, r.login(r.viewer), 100, 30, true, "NO_COLOR=1")
	colour := openScreen(t, r.login(r.viewer), 100, 30, true)
	plain.waitText("lost")
	colour.waitText("lost")
	raw := func(s *screen) string {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.raw.String()
	}
	if !colourSGR.MatchString(raw(colour)) {
		t.Fatal("the session without NO_COLOR has no colour either: the check proves nothing")
	}
	if m := colourSGR.FindString(raw(plain)); m != "" {
		t.Errorf("NO_COLOR session got colour %q", m)
	}
}
