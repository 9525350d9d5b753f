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

// SwitchBanner is the first line of core-sw1's management port.
const SwitchBanner = "SSH-2.0-noctop-lab-core-sw1\r\n"

// bannerServer greets with Banner, then echoes each line back until QUIT or
// the client leaves, like a mail gateway in a hurry. When unhealthy it
// closes connections at once, without a banner.
type bannerServer struct {
	addr    string
	banner  string
	healthy atomic.Bool
	// up reports whether the network path to the server works (core-sw1).
	up func() bool

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (l *Lab) startBanner(addr, banner string) (*bannerServer, error) {
	ln, err := listen(addr)
	if err != nil {
		return nil, err
	}
	s := &bannerServer{addr: ln.Addr().String(), banner: banner, conns: map[net.Conn]struct{}{}, up: l.reachable}
	s.healthy.Store(true)
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
	return s, nil
}

func (s *bannerServer) serve(c net.Conn) {
	if !s.healthy.Load() || !s.up() {
		return
	}
	if _, err := c.Write([]byte(s.banner)); err != nil {
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
