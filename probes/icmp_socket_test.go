package probes

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// socketDropCount reads the kernel's real drop counter: a raw ICMP socket
// with the smallest receive buffer and nobody reading it overflows when it
// pings 127.0.0.1 (it queues both its requests, looped back, and the
// replies).
func TestSocketDropCountSeesOverflow(t *testing.T) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	if err != nil {
		if errors.Is(err, unix.EPERM) && os.Getenv("NOCTOP_REQUIRE_ICMP") != "1" {
			t.Skipf("no raw ICMP socket (needs root or CAP_NET_RAW): %v", err)
		}
		t.Fatalf("raw ICMP socket: %v", err)
	}
	defer unix.Close(fd)
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 1); err != nil {
		t.Fatal(err)
	}
	before, err := socketDropCount(fd)
	if err != nil {
		t.Fatal(err)
	}
	pkt := make([]byte, echoHeaderLen+echoPayloadLen)
	pkt[0] = 8 // echo request
	to := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	for seq := range 200 {
		binary.BigEndian.PutUint16(pkt[6:8], uint16(seq))
		pkt[2], pkt[3] = 0, 0
		binary.BigEndian.PutUint16(pkt[2:4], icmpChecksum(pkt))
		if err := unix.Sendto(fd, pkt, 0, to); err != nil {
			t.Fatalf("sendto 127.0.0.1: %v", err)
		}
	}
	after, err := socketDropCount(fd)
	if err != nil {
		t.Fatal(err)
	}
	// 400 packets into a buffer of a few: far more than 100 dropped.
	if after-before < 100 {
		t.Fatalf("drop counter went %d -> %d after 400 packets into a minimal buffer, want +100 or more", before, after)
	}
}
