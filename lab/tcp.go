package lab

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"sync/atomic"
)

// Banner is the first line the TCP server (mail-gw) sends.
const Banner = "220 noctop-lab ESMTP ready\r\n"

// bannerServer greets with Banner, then echoes each line back until QUIT or
// the client leaves, like a mail gateway in a hurry. When unhealthy it
// closes connections at once, without a banner.
type bannerServer struct {
	addr    string
	healthy atomic.Bool

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (l *Lab) startBanner() error {
	ln, err := listen(AddrMailGW)
	if err != nil {
		return err
	}
	s := &bannerServer{addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	s.healthy.Store(true)
	l.tcp = s
	l.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !s.add(c) {
				c.Close()
				return
			}
			if !l.track.enter() {
				s.remove(c)
				return
			}
			go func() {
				defer l.track.leave()
				defer s.remove(c)
				s.serve(c)
			}()
		}
	})
	l.servers = append(l.servers, func() {
		ln.Close()
		s.closeAll()
	})
	return nil
}

func (s *bannerServer) serve(c net.Conn) {
	if !s.healthy.Load() {
		return
	}
	if _, err := c.Write([]byte(Banner)); err != nil {
		return
	}
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.EqualFold(strings.TrimSpace(line), "QUIT") {
			c.Write([]byte("221 bye\r\n"))
			return
		}
		if _, err := c.Write([]byte(line)); err != nil {
			return
		}
	}
}

// add registers a connection so that closeAll can end it; after closeAll
// it refuses, so no connection outlives Close.
func (s *bannerServer) add(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *bannerServer) remove(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

func (s *bannerServer) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
}
