package probes

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// Why one shared socket per address family instead of one pro-bing Pinger
// per target: measured here (BENCHMARKS.md, "ICMP sweep"), 10,000 loopback
// targets x 3 packets, 256 probes at a time. A Pinger per target opens and
// closes a socket per run, polls with a read-deadline backoff and holds its
// slot up to ~100 ms after the last reply; with raw sockets the kernel also
// copies every ICMP packet to every open raw socket. One socket per family,
// demultiplexed in memory, costs a fraction of that CPU (0.6-0.7 vs 2.3-6.2
// CPU-s at 10k) and cannot produce copy-induced false loss, however many
// targets there are.
//
// Reading: RTTs come from the kernel's receive timestamp, and every probe
// goroutine drains the socket (without blocking) after each send and at its
// cutoff, besides the reader goroutine. With thousands of runnable
// goroutines the Go scheduler can leave the reader waiting for hundreds of
// milliseconds (measured: 8,000 of 30,000 replies read after their probe
// gave up, 20,000 dropped from a full receive buffer); with the drains a
// reply counts if the kernel had it, whenever a goroutine got a CPU.
//
// Demultiplexing: a datagram ("ping") socket has its echo ID rewritten by
// Linux to the socket's port, so the probe's ID travels in the payload
// instead; raw sockets keep it in the header too. A reply is counted only if
// it carries this socket's token, a registered probe ID, a sequence number
// that probe sent and not yet saw answered, and comes from the probe's
// target address.

const (
	echoPayloadLen = 56 // as ping(8) and fping send by default
	echoHeaderLen  = 8
	// Payload layout: token (pid, fd) [0:8], probe ID [8:10], rest filler.
	echoTokenLen = 8
	// Replies are counted off a kernel receive timestamp, so a busy reader
	// goroutine does not inflate RTTs; the buffer must hold bursts of
	// replies while it is descheduled.
	echoRcvBuf = 8 << 20
)

// echoSocket is one ICMP socket (one family, one mode) shared by every probe
// of an ICMP prober. Its reader goroutine ends when the socket is closed.
type echoSocket struct {
	v6, raw bool
	udp     *net.UDPConn // datagram mode
	ip      *net.IPConn  // raw mode
	token   [echoTokenLen]byte
	pacer   *sendPacer

	// fd is read directly by drains; fdMu keeps it from being closed (and
	// its number reused) under a drain. -1 once closed.
	fdMu sync.RWMutex
	fd   int
	bufs sync.Pool // *rxBufs for drains

	mu       sync.Mutex
	sessions map[uint16]*echoSession

	readDone chan struct{} // closed when the reader has ended
	readErr  error         // why it ended; read only after readDone
}

// echoSocketConfig is what every socket of one prober shares.
type echoSocketConfig struct {
	rate int // send cap per second, 0 for none
	// rcvBuf, when set, is requested with plain SO_RCVBUF (as an
	// unprivileged process gets it) instead of forcing echoRcvBuf.
	rcvBuf int
}

// openEchoSocket opens an ICMP socket of the given family and mode. Opening
// it is the mode test: the kernel says whether this process may.
func openEchoSocket(v6, raw bool, cfg echoSocketConfig) (*echoSocket, error) {
	family, proto, kind := unix.AF_INET, unix.IPPROTO_ICMP, "datagram"
	if v6 {
		family, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	typ := unix.SOCK_DGRAM
	if raw {
		typ, kind = unix.SOCK_RAW, "raw"
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, fmt.Errorf("open %s %s socket: %w", kind, famName(v6), err)
	}
	if err := setupEchoFD(fd, v6, raw, cfg.rcvBuf); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("set up %s %s socket: %w", kind, famName(v6), err)
	}
	f := os.NewFile(uintptr(fd), "icmp")
	pc, err := net.FilePacketConn(f) // dups the fd
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("wrap %s %s socket: %w", kind, famName(v6), err)
	}
	s := &echoSocket{v6: v6, raw: raw, pacer: newSendPacer(cfg.rate, icmpBurst), sessions: map[uint16]*echoSession{}, readDone: make(chan struct{})}
	s.bufs.New = func() any { return newRxBufs() }
	var sc syscall.Conn
	switch c := pc.(type) {
	case *net.UDPConn:
		s.udp, sc = c, c
	case *net.IPConn:
		s.ip, sc = c, c
	default:
		pc.Close()
		return nil, fmt.Errorf("wrap %s %s socket: unexpected %T", kind, famName(v6), pc)
	}
	if raw {
		if err := acceptOnlyEchoReplies(s.ip, v6); err != nil {
			pc.Close()
			return nil, fmt.Errorf("set ICMP filter on raw %s socket: %w", famName(v6), err)
		}
	}
	// The token tells our replies from those of other processes (raw
	// sockets see every echo reply on the host) and of other probers in
	// this process: pid and fd are unique while both are alive.
	rc, err := sc.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) { s.fd = int(fd) })
	}
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("read %s %s socket fd: %w", kind, famName(v6), err)
	}
	binary.BigEndian.PutUint32(s.token[0:4], uint32(os.Getpid()))
	binary.BigEndian.PutUint32(s.token[4:8], uint32(s.fd))
	go s.readLoop(rc)
	return s, nil
}

func setupEchoFD(fd int, v6, raw bool, rcvBuf int) error {
	// A larger buffer needs CAP_NET_ADMIN; without it the kernel caps
	// SO_RCVBUF at net.core.rmem_max, which is still the best we can get.
	if rcvBuf > 0 || unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, echoRcvBuf) != nil {
		if rcvBuf <= 0 {
			rcvBuf = echoRcvBuf
		}
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, rcvBuf); err != nil {
			return fmt.Errorf("SO_RCVBUF: %w", err)
		}
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		return fmt.Errorf("SO_TIMESTAMPNS: %w", err)
	}
	if !raw {
		// Bind now so the socket's echo ID (its "port") is fixed from the
		// start, as x/net/icmp does.
		var sa unix.Sockaddr = &unix.SockaddrInet4{}
		if v6 {
			sa = &unix.SockaddrInet6{}
		}
		if err := unix.Bind(fd, sa); err != nil {
			return fmt.Errorf("bind: %w", err)
		}
	}
	return nil
}

// acceptOnlyEchoReplies keeps the kernel from queueing anything but echo
// replies on a raw socket (no echo requests, no neighbour discovery).
func acceptOnlyEchoReplies(c *net.IPConn, v6 bool) error {
	if v6 {
		var f ipv6.ICMPFilter
		f.SetAll(true)
		f.Accept(ipv6.ICMPTypeEchoReply)
		return ipv6.NewPacketConn(c).SetICMPFilter(&f)
	}
	var f ipv4.ICMPFilter
	f.SetAll(true)
	f.Accept(ipv4.ICMPTypeEchoReply)
	return ipv4.NewPacketConn(c).SetICMPFilter(&f)
}

func famName(v6 bool) string {
	if v6 {
		return "ICMPv6"
	}
	return "ICMPv4"
}

// close closes the socket and waits for its reader to end.
func (s *echoSocket) close() error {
	s.fdMu.Lock()
	s.fd = -1
	var err error
	if s.udp != nil {
		err = s.udp.Close()
	} else {
		err = s.ip.Close()
	}
	s.fdMu.Unlock()
	<-s.readDone
	return err
}

// readLoop reads replies until the socket is closed: each time the socket
// turns readable it takes everything queued.
func (s *echoSocket) readLoop(rc syscall.RawConn) {
	defer close(s.readDone)
	rx := newRxBufs()
	s.readErr = rc.Read(func(fd uintptr) bool {
		s.recvAll(int(fd), rx)
		return false // wait until readable again; Read ends when closed
	})
}

// drain handles every reply already queued on the socket, without waiting.
func (s *echoSocket) drain() {
	s.fdMu.RLock()
	defer s.fdMu.RUnlock()
	if s.fd < 0 {
		return
	}
	rx := s.bufs.Get().(*rxBufs)
	s.recvAll(s.fd, rx)
	s.bufs.Put(rx)
}

// drops is the kernel's count of packets it dropped from this socket
// because its receive buffer was full.
func (s *echoSocket) drops() (uint32, error) {
	s.fdMu.RLock()
	defer s.fdMu.RUnlock()
	if s.fd < 0 {
		return 0, net.ErrClosed
	}
	return socketDropCount(s.fd)
}

// socketDropCount reads SK_MEMINFO_DROPS (index 8 of SO_MEMINFO, see
// linux/sock_diag.h; x/sys/unix has no name for it).
func socketDropCount(fd int) (uint32, error) {
	const skMeminfoDrops, skMeminfoVars = 8, 9
	var info [skMeminfoVars]uint32
	l := uint32(unsafe.Sizeof(info))
	_, _, errno := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_MEMINFO,
		uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&l)), 0)
	if errno != 0 {
		return 0, fmt.Errorf("getsockopt SO_MEMINFO: %w", errno)
	}
	return info[skMeminfoDrops], nil
}

type rxBufs struct{ b, oob []byte }

// Replies are 64 bytes (plus a 20-60 byte IPv4 header on raw sockets); a
// longer datagram is truncated, which loses nothing we read.
func newRxBufs() *rxBufs { return &rxBufs{b: make([]byte, 256), oob: make([]byte, 128)} }

// recvAll receives until the socket's queue is empty.
func (s *echoSocket) recvAll(fd int, rx *rxBufs) {
	for failures := 0; failures < 16; {
		n, oobn, _, from, err := unix.Recvmsg(fd, rx.b, rx.oob, unix.MSG_DONTWAIT)
		if err == unix.EAGAIN || err == unix.EBADF {
			return
		}
		if err != nil {
			// An ICMP error queued for the socket is reported once and
			// cleared; bound the retries so nothing can spin here.
			failures++
			continue
		}
		var a netip.Addr
		switch sa := from.(type) {
		case *unix.SockaddrInet4:
			a = netip.AddrFrom4(sa.Addr)
		case *unix.SockaddrInet6:
			a = netip.AddrFrom16(sa.Addr).Unmap()
		}
		s.handle(rx.b[:min(n, len(rx.b))], a, rxTime(rx.oob[:oobn]))
	}
}

// rxTime is the kernel's receive timestamp, or now if it is missing.
func rxTime(oob []byte) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err == nil {
		for _, m := range msgs {
			if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) >= 16 {
				sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
				nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
				return time.Unix(sec, nsec)
			}
		}
	}
	return time.Now()
}

// handle matches one received packet to its probe.
func (s *echoSocket) handle(b []byte, from netip.Addr, at time.Time) {
	if s.raw && !s.v6 {
		// Raw IPv4 sockets deliver the IP header too.
		if len(b) < 20 || b[0]>>4 != 4 {
			return
		}
		hl := int(b[0]&0x0f) * 4
		if hl < 20 || hl > len(b) {
			return
		}
		b = b[hl:]
	}
	reply := byte(ipv4.ICMPTypeEchoReply)
	if s.v6 {
		reply = byte(ipv6.ICMPTypeEchoReply)
	}
	if len(b) < echoHeaderLen+echoTokenLen+2 || b[0] != reply || b[1] != 0 {
		return
	}
	p := b[echoHeaderLen:]
	if [echoTokenLen]byte(p[:echoTokenLen]) != s.token {
		return
	}
	id := binary.BigEndian.Uint16(p[echoTokenLen:])
	if s.raw && binary.BigEndian.Uint16(b[4:6]) != id {
		return
	}
	seq := int(binary.BigEndian.Uint16(b[6:8]))

	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.sessions[id]
	if e == nil || from != e.dst || seq >= len(e.sent) || e.sent[seq].IsZero() {
		return
	}
	if e.rtt[seq] >= 0 {
		return // a duplicate
	}
	rtt := at.Sub(e.sent[seq]) // wall clock: the kernel stamp has no monotonic reading
	if rtt < 0 {
		rtt = time.Since(e.sent[seq]) // clock stepped back: fall back to now
	}
	e.rtt[seq] = rtt
	e.nrecv++
	if e.final && e.nrecv == e.nsent {
		close(e.done)
	}
}
