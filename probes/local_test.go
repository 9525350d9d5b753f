package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"noctop/model"
)

// Out of file descriptors, for real: a child process of this test binary
// lowers its RLIMIT_NOFILE to what it has open and fills every free slot,
// then runs each probe against servers this parent runs on loopback. Every
// outcome must be UNKNOWN "local: too many open files" with Local set, so
// the engine reports it once rather than blaming 500 targets.
func TestLocalTooManyOpenFiles(t *testing.T) {
	tcp := serveTCP(t, func(c net.Conn) { c.Close() })
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer web.Close()
	ns := serveDNS(t, func(w dns.ResponseWriter, q *dns.Msg) {
		r := new(dns.Msg)
		r.SetReply(q)
		if q.Question[0].Qtype == dns.TypeA {
			r.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
				A: net.IPv4(127, 0, 0, 1)}}
		}
		_ = w.WriteMsg(r)
	})
	d := startSNMPLab(t, nil, startOpts(2)).Devices()[0]

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^TestLocalTooManyOpenFilesHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "NOCTOP_EMFILE_HELPER=1", "NOCTOP_EMFILE_TCP="+tcp.String(),
		"NOCTOP_EMFILE_HTTP="+web.URL, "NOCTOP_EMFILE_DNS="+ns, "NOCTOP_EMFILE_SNMP="+d.Addr())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestLocalTooManyOpenFilesHelper") {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "local_test.go") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

// TestLocalTooManyOpenFilesHelper is the child side of
// TestLocalTooManyOpenFiles.
func TestLocalTooManyOpenFilesHelper(t *testing.T) {
	if os.Getenv("NOCTOP_EMFILE_HELPER") == "" {
		t.Skip("runs only as a child of TestLocalTooManyOpenFiles")
	}
	env := func(k string) string { return os.Getenv("NOCTOP_EMFILE_" + k) }
	_, tcpPort, _ := net.SplitHostPort(env("TCP"))
	port, _ := strconv.Atoi(tcpPort)
	snmpHost, snmpPort, _ := net.SplitHostPort(env("SNMP"))
	sport, _ := strconv.Atoi(snmpPort)
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, env("DNS"))
	}}
	n := &Net{Resolver: resolver}
	// Built while descriptors are left: the ICMP prober opens its IPv4
	// socket, the host prober reads its static facts. A first dial starts
	// the runtime's poller.
	icmp := newTestICMP(t)
	host := NewHost()
	snmp := NewSNMP()
	defer snmp.Close()
	if c, err := net.Dial("tcp", env("TCP")); err == nil {
		c.Close()
	}

	type localCase struct {
		name    string
		prepare PrepareFunc
		tg      Target
		want    string
	}
	cases := []localCase{
		{"tcp", n.PrepareTCP, tcpTarget(env("TCP"), model.Check{}), "local: too many open files"},
		{"tcp by name", n.PrepareTCP, target(model.Asset{Name: "a", Address: "svc.local.test"},
			model.Check{Type: model.CheckTCP, Port: port}), "local: too many open files"},
		{"http", n.PrepareHTTP, httpTarget(httpCheck(env("HTTP"))), "local: too many open files"},
		{"tls", n.PrepareTLS, tlsTarget(env("TCP"), model.Check{}), "local: too many open files"},
		{"dns", n.PrepareDNS, dnsTarget(env("DNS"), "svc.local.test", "A"), "DNS server " + env("DNS") + ": local: too many open files"},
		{"snmp", snmp.Prepare, target(model.Asset{Name: "sw", Address: snmpHost},
			model.Check{Type: model.CheckSNMP, Port: sport}), "local: too many open files"},
		{"host", host.Prepare, hostTarget(model.Check{}), "host figures unavailable: cpu: open /proc/stat: too many open files"},
	}
	if icmp.Mode() != ICMPUnavailable { // the IPv6 socket opens on first use
		cases = append(cases, localCase{"icmp ipv6", icmp.Prepare, icmpTarget("::1", 1, time.Millisecond),
			"open " + string(icmp.Mode()) + " ICMPv6 socket: too many open files"})
	}
	// Prepared before the descriptors run out, as the scheduler does at
	// start.
	ready := make([]Prepared, len(cases))
	for i, tc := range cases {
		p, err := tc.prepare(tc.tg)
		if err != nil {
			t.Fatalf("%s: prepare: %v", tc.name, err)
		}
		ready[i] = p
	}
	exhaustFDs(t)

	for i, tc := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		o := ready[i].Run(ctx)
		cancel()
		t.Logf("%s: %v %q local=%v", tc.name, o.Status, o.Summary, o.Local)
		if o.Status != model.StatusUnknown || !o.Local || o.Summary != tc.want {
			t.Errorf("%s: %v %q local %v; want UNKNOWN %q local", tc.name, o.Status, o.Summary, o.Local, tc.want)
		}
	}
}

// exhaustFDs lowers RLIMIT_NOFILE to just above the highest descriptor
// open and fills every free one below it, so the next socket or open
// fails with EMFILE. The descriptors stay open until the process ends.
func exhaustFDs(t *testing.T) {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	top := 0
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			top = max(top, fd)
		}
	}
	lim := syscall.Rlimit{Cur: uint64(top + 1), Max: uint64(top + 1)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("setrlimit %d: %v", top+1, err)
	}
	for i := 0; ; i++ {
		fd, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if errors.Is(err, syscall.EMFILE) {
			break
		}
		if err != nil || i > top {
			t.Fatalf("filling descriptors: fd %d, %v", fd, err)
		}
	}
	if _, err := net.Dial("tcp", "127.0.0.1:1"); !errors.Is(err, syscall.EMFILE) {
		t.Fatalf("a dial with every descriptor taken: %v, want EMFILE", err)
	}
	fmt.Fprintln(os.Stderr, "descriptors exhausted at", top+1)
}

// Which errors are this machine's: through the wrappers net/http and net
// put around them, and in the text Go's resolver keeps of a socket error.
func TestLocalReason(t *testing.T) {
	op := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{op(syscall.EMFILE), "local: too many open files"},
		{fmt.Errorf("get: %w", op(syscall.ENFILE)), "local: too many open files in the system"},
		{op(syscall.EADDRNOTAVAIL), "local: no usable source address"},
		{op(syscall.EPERM), "local: connection not permitted (firewall?)"},
		{op(syscall.EACCES), "local: connection not permitted (firewall?)"},
		{op(syscall.ENOBUFS), "local: no buffer space available"},
		{&net.DNSError{Err: "dial udp 127.0.0.1:53: socket: too many open files", Name: "x"}, "local: too many open files"},
		{op(syscall.ECONNREFUSED), ""},
		{op(syscall.EHOSTUNREACH), ""},
		{&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, ""},
		{context.DeadlineExceeded, ""},
		{nil, ""},
	} {
		if got := localReason(tc.err); got != tc.want {
			t.Errorf("localReason(%v) = %q, want %q", tc.err, got, tc.want)
		}
		if tc.err == nil {
			continue
		}
		if o := failure(context.Background(), time.Now(), "connecting", tc.err); o.Local != (tc.want != "") {
			t.Errorf("failure(%v).Local = %v", tc.err, o.Local)
		}
	}
}
