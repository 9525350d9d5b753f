package probes

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// One probe run on a shared echoSocket: its session (what was sent, what
// came back), the send loop with its timing rules, and the errors that mean
// "not measured" rather than loss.

// echoSession is one probe run: count echo requests to one address.
type echoSession struct {
	id    uint16
	dst   netip.Addr // zone removed, for comparison with reply sources
	sent  []time.Time
	rtt   []time.Duration // <0 until the reply arrives
	nsent int
	nrecv int
	final bool          // no more sends: done closes once nrecv == nsent
	done  chan struct{} // closed when every sent request was answered
}

// echoStats is what a run measured.
type echoStats struct {
	count, sent, recv int
	rtts              []time.Duration
}

// ping sends count echo requests to dst, one every interval from start,
// none scheduled at or after cutoff nor later than half-way from its
// scheduled time to cutoff, and waits for their replies until all are in or
// cutoff. A reply missing at cutoff is lost. It returns
// an error when a send fails (a failed send is not loss), when ctx is
// cancelled, or when the socket closes; the stats then cover what was sent.
func (s *echoSocket) ping(ctx context.Context, id uint16, dst netip.Addr, count int, interval time.Duration, start, cutoff time.Time) (echoStats, error) {
	e := newEchoSession(id, dst, count)
	drops0, dropsErr := s.drops()
	s.mu.Lock()
	s.sessions[id] = e
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, id)
		s.mu.Unlock()
	}()
	w := newEchoWait(ctx, s, e)
	defer w.timer.Stop()

	err := s.sendAll(w, e, dst, count, interval, start, cutoff)
	if err == nil && e.nsent == 0 {
		err = errSendLate // the deadline came while waiting to send
	}
	s.mu.Lock()
	e.final = true
	if e.nrecv == e.nsent && err == nil {
		close(e.done)
	}
	s.mu.Unlock()
	if err == nil && e.nsent > 0 {
		_, err = w.until(cutoff)
		// Count what the kernel received by now even if the reader
		// goroutine has not run yet.
		s.drain()
	}
	if err == nil && dropsErr == nil {
		err = s.ownDrops(e, drops0)
	}
	return s.stats(e, count), err
}

func newEchoSession(id uint16, dst netip.Addr, count int) *echoSession {
	e := &echoSession{
		id:   id,
		dst:  dst.WithZone(""),
		sent: make([]time.Time, count),
		rtt:  make([]time.Duration, count),
		done: make(chan struct{}),
	}
	for i := range e.rtt {
		e.rtt[i] = -1
	}
	return e
}

// echoWait is how a run waits: until a time, every reply, the socket
// closing or ctx ending, whichever comes first.
type echoWait struct {
	ctx   context.Context
	s     *echoSocket
	e     *echoSession
	timer *time.Timer
}

func newEchoWait(ctx context.Context, s *echoSocket, e *echoSession) *echoWait {
	w := &echoWait{ctx: ctx, s: s, e: e, timer: time.NewTimer(time.Hour)}
	w.timer.Stop()
	return w
}

// until waits until t; on is false when something else ended the wait,
// err says what when it is not the end of the reply window.
func (w *echoWait) until(t time.Time) (on bool, err error) {
	w.timer.Reset(time.Until(t))
	select {
	case <-w.timer.C:
		return true, nil
	case <-w.e.done:
		return false, nil
	case <-w.s.readDone:
		return false, fmt.Errorf("icmp socket closed: %w", w.s.readErr)
	case <-w.ctx.Done():
		if errors.Is(w.ctx.Err(), context.DeadlineExceeded) {
			return false, nil // the reply window is over, as at cutoff
		}
		return false, w.ctx.Err()
	}
}

// sendAll sends the run's requests to dst (its zone kept, for a link-local
// address) on their schedule. It stops early, without an error, when the
// reply window is over; it returns an error when not even the first
// request could leave, or a send failed.
func (s *echoSocket) sendAll(w *echoWait, e *echoSession, dst netip.Addr, count int, interval time.Duration, start, cutoff time.Time) error {
	pkt := s.echoRequest(e.id)
	for i := range count {
		at := start.Add(time.Duration(i) * interval)
		if !at.Before(cutoff) {
			if i == 0 {
				return errNoTime // e.g. name resolution used the budget
			}
			return nil
		}
		if time.Until(at) > 0 {
			if on, err := w.until(at); !on {
				return err
			}
		}
		// A request leaves only while at least half of its reply window
		// (from when it was due to the cutoff) remains: neither the send
		// rate cap nor a late wake-up may send one that has no time to be
		// answered. Not sent is not lost.
		latest := at.Add(cutoff.Sub(at) / 2)
		// The socket's send slot is booked only when this packet is due,
		// so probes waiting for their interval hold no slots.
		slot, ok := s.pacer.reserve(latest)
		if !ok {
			if i == 0 {
				return errNoSendSlot
			}
			return nil
		}
		if time.Until(slot) > 0 {
			if on, err := w.until(slot); !on {
				return err
			}
		}
		if time.Now().After(latest) {
			if i == 0 {
				return errSendLate
			}
			return nil
		}
		if err := s.send(e, pkt, i, dst); err != nil {
			return err
		}
		s.drain()
	}
	return nil
}

// ownDrops: replies dropped from our own full buffer look like loss. If any
// were dropped while this run missed replies, its loss says nothing about
// the target.
func (s *echoSocket) ownDrops(e *echoSession, drops0 uint32) error {
	s.mu.Lock()
	missing := e.nrecv < e.nsent
	s.mu.Unlock()
	if d, err := s.drops(); missing && err == nil && d != drops0 {
		return &ownDropsError{n: d - drops0}
	}
	return nil
}

// stats is what the run measured.
func (s *echoSocket) stats(e *echoSession, count int) echoStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := echoStats{count: count, sent: e.nsent, recv: e.nrecv}
	for i := range e.rtt {
		if e.rtt[i] >= 0 {
			st.rtts = append(st.rtts, e.rtt[i])
		}
	}
	return st
}

// echoRequest builds the request for probe id; send fills in the sequence.
func (s *echoSocket) echoRequest(id uint16) []byte {
	b := make([]byte, echoHeaderLen+echoPayloadLen)
	b[0] = byte(ipv4.ICMPTypeEcho)
	if s.v6 {
		b[0] = byte(ipv6.ICMPTypeEchoRequest)
	}
	binary.BigEndian.PutUint16(b[4:6], id) // datagram sockets overwrite it
	p := b[echoHeaderLen:]
	copy(p, s.token[:])
	binary.BigEndian.PutUint16(p[echoTokenLen:], id)
	for i := echoTokenLen + 2; i < len(p); i++ {
		p[i] = byte(i)
	}
	return b
}

// send sends request seq of session e.
func (s *echoSocket) send(e *echoSession, pkt []byte, seq int, dst netip.Addr) error {
	binary.BigEndian.PutUint16(pkt[6:8], uint16(seq))
	if !s.v6 {
		// The kernel computes ICMPv6 checksums (and rewrites datagram
		// ones); raw ICMPv4 needs ours.
		pkt[2], pkt[3] = 0, 0
		binary.BigEndian.PutUint16(pkt[2:4], icmpChecksum(pkt))
	}
	// The send time is stored before the syscall: on loopback the reply
	// can be read before WriteTo returns.
	s.mu.Lock()
	e.sent[seq] = time.Now()
	s.mu.Unlock()
	var err error
	for try := 0; ; try++ {
		if s.udp != nil {
			_, err = s.udp.WriteToUDPAddrPort(pkt, netip.AddrPortFrom(dst, 0))
		} else {
			_, err = s.ip.WriteToIP(pkt, &net.IPAddr{IP: dst.AsSlice(), Zone: dst.Zone()})
		}
		// ENOBUFS is a full device queue: brief, worth a few retries.
		if err == nil || !errors.Is(err, unix.ENOBUFS) || try == 5 {
			break
		}
		time.Sleep(time.Millisecond << try)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		e.sent[seq] = time.Time{}
		return &sendError{dst: dst, seq: seq, err: err}
	}
	e.nsent++
	return nil
}

// Nothing was measured because no request could be sent in time.
var (
	// The socket's send rate cap (WithICMPRate) left no slot for the first
	// request before the deadline.
	errNoSendSlot = errors.New("no send slot before the deadline: too many echo requests queued for the send rate")
	errNoTime     = errors.New("no time left to ping before the deadline")
	// The probe got no CPU to send its first request while half its time
	// budget remained.
	errSendLate = errors.New("first echo request not sent in time: noctop is overloaded (lower [scheduler] concurrency)")
)

// ownDropsError: the kernel dropped replies from our full receive buffer
// while the probe was missing replies, so its loss cannot be trusted.
type ownDropsError struct{ n uint32 }

func (e *ownDropsError) Error() string {
	return fmt.Sprintf("loss not measurable: the kernel dropped %d ICMP replies from noctop's full receive buffer "+
		"during this run (raise net.core.rmem_max or lower [scheduler] concurrency)", e.n)
}

// sendError is a failed echo request: the probe could not measure, which is
// not packet loss.
type sendError struct {
	dst netip.Addr
	seq int
	err error
}

func (e *sendError) Error() string {
	var errno syscall.Errno
	if errors.As(e.err, &errno) {
		return fmt.Sprintf("send to %s failed: %v", e.dst, errno)
	}
	return fmt.Sprintf("send to %s failed: %v", e.dst, e.err)
}

func (e *sendError) Unwrap() error { return e.err }

// icmpChecksum is the RFC 1071 Internet checksum.
func icmpChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
