package probes

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"noctop/model"
)

// serveDNS runs handler over UDP and TCP on one loopback port until the
// test ends, and returns the address.
func serveDNS(t *testing.T, handler dns.HandlerFunc) string {
	t.Helper()
	var pc net.PacketConn
	var ln net.Listener
	for range 20 { // the UDP port may be taken for TCP
		p, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		if l, err := net.Listen("tcp", p.LocalAddr().String()); err == nil {
			pc, ln = p, l
			break
		}
		p.Close()
	}
	if pc == nil {
		t.Fatal("no free port for UDP and TCP")
	}
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: handler}, {Listener: ln, Handler: handler}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		done := make(chan struct{})
		go func() { defer close(done); _ = srv.ActivateAndServe() }()
		<-started
		t.Cleanup(func() { _ = srv.Shutdown(); <-done })
	}
	return pc.LocalAddr().String()
}

// Every record type's summary names the query, the root included: the
// starter config asks a resolver for the root's NS and said "NXDOMAIN for
// NS  from".
func TestDNSSummaryNamesTheQuery(t *testing.T) {
	srv := serveDNS(t, func(w dns.ResponseWriter, q *dns.Msg) {
		r := new(dns.Msg)
		r.SetReply(q)
		switch q.Question[0].Name {
		case "nx.example.test.", ".":
			r.Rcode = dns.RcodeNameError
		case "empty.example.test.": // NODATA
		default:
			r.Rcode = dns.RcodeRefused
		}
		_ = w.WriteMsg(r)
	})
	n := &Net{}
	for _, rtype := range model.DNSRecordTypes() {
		for _, tc := range []struct{ query, shown, want string }{
			{"nx.example.test", "nx.example.test", "NXDOMAIN — "},
			{".", ".", "NXDOMAIN — "},
			{"empty.example.test.", "empty.example.test", "no answer (NOERROR, empty) — "},
		} {
			o := run(t, n.PrepareDNS, dnsTarget(srv, tc.query, rtype), 2*time.Second)
			if want := tc.want + rtype + " " + tc.shown + " "; o.Status != model.StatusCritical || !strings.HasPrefix(o.Summary, want) {
				t.Errorf("%s %s: %s %q, want CRITICAL %q…", rtype, tc.query, o.Status, o.Summary, want)
			}
		}
	}
}

// A server answering a 60 KB TXT record, or 2,000 records: the summary and
// attrs show a few values, each cut with its length.
func TestDNSHugeAnswers(t *testing.T) {
	txt := make([]string, 240) // 240 strings of 250 bytes: one 60 KB record
	for i := range txt {
		txt[i] = strings.Repeat(string(rune('a'+i%26)), 250)
	}
	whole := strings.Join(txt, "")
	const many = 2000
	srv := serveDNS(t, func(w dns.ResponseWriter, q *dns.Msg) {
		r := new(dns.Msg)
		r.SetReply(q)
		r.Compress = true // 2,000 records fit 64 KB only compressed
		_, udp := w.RemoteAddr().(*net.UDPAddr)
		hdr := dns.RR_Header{Name: q.Question[0].Name, Class: dns.ClassINET, Ttl: 60}
		switch q.Question[0].Name {
		case "txt.example.test.":
			hdr.Rrtype = dns.TypeTXT
			r.Answer = []dns.RR{&dns.TXT{Hdr: hdr, Txt: txt}, &dns.TXT{Hdr: hdr, Txt: []string{"v=short"}}}
		case "many.example.test.":
			hdr.Rrtype = dns.TypeA
			for i := range many {
				a := netip.AddrFrom4([4]byte{127, 1, byte(i >> 8), byte(i)})
				r.Answer = append(r.Answer, &dns.A{Hdr: hdr, A: a.AsSlice()})
			}
		}
		if udp { // as a server must: too big for UDP, so truncated
			r.Answer, r.Truncated = nil, true
		}
		_ = w.WriteMsg(r)
	})
	n := &Net{}
	mark := clipMark(len(whole))

	o := run(t, n.PrepareDNS, dnsTarget(srv, "txt.example.test", "TXT", whole), 5*time.Second)
	if o.Status != model.StatusOK || !strings.Contains(o.Summary, mark+", v=short in ") || !strings.HasSuffix(o.Attrs["answer"], mark+", v=short") {
		t.Errorf("60 KB TXT: %s %q, answer attr %.80q…", o.Status, o.Summary, o.Attrs["answer"])
	}
	assertBounded(t, o, 3*model.MaxNetText)
	// Missing: the reason lists what came back, cut the same way.
	o = run(t, n.PrepareDNS, dnsTarget(srv, "txt.example.test", "TXT", "v=other"), 5*time.Second)
	if o.Status != model.StatusCritical || !strings.Contains(o.Summary, mark+", v=short — TXT txt.example.test in ") {
		t.Errorf("60 KB TXT, missing value: %s %q", o.Status, o.Summary)
	}
	assertBounded(t, o, 3*model.MaxNetText)

	o = run(t, n.PrepareDNS, dnsTarget(srv, "many.example.test", "A", "127.1.7.207"), 5*time.Second)
	if o.Status != model.StatusOK || o.Metrics["answers"] != many ||
		!strings.Contains(o.Summary, "127.1.0.0, 127.1.0.1, 127.1.0.2 and 1997 more in ") ||
		!strings.HasSuffix(o.Attrs["answer"], " and 1990 more") {
		t.Errorf("%d answers: %s %q, %v, answer attr %q", many, o.Status, o.Summary, o.Metrics["answers"], o.Attrs["answer"])
	}
	assertBounded(t, o, 3*model.MaxNetText)
}
