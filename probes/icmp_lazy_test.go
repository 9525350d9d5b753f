package probes

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// icmpSocketsOfThisProcess counts this process's open ICMP sockets: its
// socket descriptors' inodes found in /proc/net/icmp (datagram) or
// /proc/net/raw (raw, protocol 1) of its namespace.
func icmpSocketsOfThisProcess(t *testing.T) int {
	t.Helper()
	fds, err := filepath.Glob("/proc/self/fd/*")
	if err != nil {
		t.Fatal(err)
	}
	mine := map[string]bool{}
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && strings.HasPrefix(l, "socket:[") {
			mine[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	n := 0
	for _, table := range []string{"/proc/net/icmp", "/proc/net/raw"} {
		f, err := os.Open(table)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			// sl local rem st tx:rx tr:when retrnsmt uid timeout inode
			if len(fs) > 9 && mine[fs[9]] && (table == "/proc/net/icmp" || strings.HasSuffix(fs[1], ":0001")) {
				n++
			}
		}
		f.Close()
	}
	return n
}

// A prober holds no ICMP socket until an icmp check runs: a raw socket
// receives every ICMP packet of the host, and a monitor of http checks
// must not read other processes' pings.
func TestICMPSocketOpensOnFirstUse(t *testing.T) {
	before := icmpSocketsOfThisProcess(t)
	p := newTestICMP(t)
	requireICMP(t, p)
	if got := icmpSocketsOfThisProcess(t); got != before {
		t.Fatalf("after NewICMP (mode %s): %d ICMP sockets open, want %d (none of its own)", p.Mode(), got, before)
	}
	checkAllReceived(t, probeWithin(p, icmpTarget("127.0.0.1", 3, 10*time.Millisecond), 2*time.Second))
	if got := icmpSocketsOfThisProcess(t); got != before+1 {
		t.Fatalf("after a probe: %d ICMP sockets open, want %d", got, before+1)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if got := icmpSocketsOfThisProcess(t); got != before {
		t.Fatalf("after Close: %d ICMP sockets open, want %d", got, before)
	}
}
