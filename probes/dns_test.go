package probes

import (
	"net"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

func dnsTarget(server, query, rtype string, expect ...string) Target {
	c := model.Check{Type: model.CheckDNS, Server: server, Query: query, RecordType: rtype}
	if len(expect) > 0 {
		c.ExpectList = expect
	}
	return target(model.Asset{Name: "ns", Address: "127.0.0.1"}, c)
}

func TestDNSAnswers(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	srv := l.DNSAddr()
	web, _, _ := net.SplitHostPort(l.AppAddr(lab.WebShop))
	re := strings.ReplaceAll(web, ".", `\.`)
	const ms = `[0-9.]+ ms`

	o := run(t, n.PrepareDNS, dnsTarget(srv, lab.WWWName, "A", web), 5*time.Second)
	expect(t, o, model.StatusOK, `A www\.lab\.noctop\.test: `+re+` in `+ms)
	if o.Metrics["rcode"] != 0 || o.Metrics["answers"] != 1 || o.Metrics["latency_ms"] <= 0 ||
		o.Attrs["rcode"] != "NOERROR" || o.Attrs["transport"] != "udp" || o.Attrs["answer"] != web {
		t.Errorf("metrics = %v, attrs = %v", o.Metrics, o.Attrs)
	}

	// Wrong answer: the reason names what is missing and what came back.
	o = run(t, n.PrepareDNS, dnsTarget(srv, lab.WWWName, "A", "127.0.0.99", web), 5*time.Second)
	expect(t, o, model.StatusCritical, `127\.0\.0\.99 missing, got `+re+` — A www\.lab\.noctop\.test in `+ms)

	// AAAA compared as addresses, not text.
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.WWWName, "aaaa", "0:0:0:0:0:0:0:1"), 5*time.Second), model.StatusOK,
		`AAAA www\.lab\.noctop\.test: ::1 in `+ms)
	// A CNAME, asked for directly and followed for an A query.
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.ShopName, "CNAME", lab.WWWName), 5*time.Second), model.StatusOK,
		`CNAME shop\.lab\.noctop\.test: www\.lab\.noctop\.test in `+ms)
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.ShopName, "A", web, lab.WWWName+"."), 5*time.Second), model.StatusOK,
		`A shop\.lab\.noctop\.test: CNAME www\.lab\.noctop\.test, `+re+` in `+ms)
	// MX as a host or with its preference; TXT.
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.Zone, "MX", lab.MailName, "10 "+strings.ToUpper(lab.MailName)+"."), 5*time.Second),
		model.StatusOK, `MX lab\.noctop\.test: 10 mail\.lab\.noctop\.test in `+ms)
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.Zone, "TXT", lab.TXTValue), 5*time.Second), model.StatusOK,
		`TXT lab\.noctop\.test: v=noctop-lab1 in `+ms)
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.Zone, "MX", "mx.example.test"), 5*time.Second), model.StatusCritical,
		`mx\.example\.test missing, got 10 mail\.lab\.noctop\.test — MX lab\.noctop\.test in `+ms)

	// A name without records of the type asked: NOERROR, empty.
	expect(t, run(t, n.PrepareDNS, dnsTarget(srv, lab.WWWName, "MX"), 5*time.Second), model.StatusCritical,
		`no answer \(NOERROR, empty\) — MX www\.lab\.noctop\.test from `+srv+` in `+ms)

	// The server is found by name, through the lab resolver.
	_, port, _ := net.SplitHostPort(srv)
	expect(t, run(t, n.PrepareDNS, dnsTarget("ns."+lab.Zone+":"+port, lab.WWWName, "A"), 5*time.Second), model.StatusOK,
		`A www\.lab\.noctop\.test: `+re+` in `+ms)
}

func TestDNSRcodes(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	srv := l.DNSAddr()
	o := run(t, n.PrepareDNS, dnsTarget(srv, "nope."+lab.Zone, "A"), 5*time.Second)
	expect(t, o, model.StatusCritical, `NXDOMAIN — A nope\.lab\.noctop\.test from `+srv+` in [0-9.]+ ms`)
	if o.Metrics["rcode"] != 3 || o.Attrs["rcode"] != "NXDOMAIN" {
		t.Errorf("metrics = %v, attrs = %v", o.Metrics, o.Attrs)
	}
	l.SetHealthy(lab.LabDNS, false)
	o = run(t, n.PrepareDNS, dnsTarget(srv, lab.WWWName, "A"), 5*time.Second)
	expect(t, o, model.StatusCritical, `SERVFAIL — A www\.lab\.noctop\.test from `+srv+` in [0-9.]+ ms`)
}

// TestDNSTruncated: 64 A records do not fit a 512-byte UDP answer; the lab
// sets TC and the probe asks again over TCP.
func TestDNSTruncated(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	o := run(t, n.PrepareDNS, dnsTarget(l.DNSAddr(), lab.BigName, "A", "127.0.1.1", "127.0.1.64"), 5*time.Second)
	expect(t, o, model.StatusOK, `A big\.lab\.noctop\.test: 127\.0\.1\.1, 127\.0\.1\.2, 127\.0\.1\.3 and 61 more in [0-9.]+ ms`)
	if o.Metrics["answers"] != lab.BigRecords || o.Attrs["transport"] != "tcp (udp answer truncated)" {
		t.Errorf("answers = %v, transport = %q", o.Metrics["answers"], o.Attrs["transport"])
	}
}

func TestDNSServerErrors(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	// Nothing listens on the UDP port: the kernel answers port unreachable.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()
	expect(t, run(t, n.PrepareDNS, dnsTarget(closed, lab.WWWName, "A"), 5*time.Second), model.StatusCritical,
		`DNS server `+closed+`: connection refused`)

	// A server that reads and never answers.
	pc, err = net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 512)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	mute := pc.LocalAddr().String()
	expect(t, run(t, n.PrepareDNS, dnsTarget(mute, lab.WWWName, "A"), 200*time.Millisecond), model.StatusCritical,
		`DNS server `+mute+`: timeout after 200ms waiting for an answer`)

	expect(t, run(t, n.PrepareDNS, dnsTarget("nope."+lab.Zone+":53", lab.WWWName, "A"), 5*time.Second), model.StatusCritical,
		`DNS server nope\.lab\.noctop\.test:53: cannot resolve nope\.lab\.noctop\.test: no such host`)

	expect(t, run(t, n.PrepareDNS, dnsTarget(l.DNSAddr(), lab.WWWName, "BOGUS"), time.Second), model.StatusUnknown,
		`record_type "BOGUS": want one of A AAAA CNAME MX NS PTR SOA SRV TXT CAA`)
	expect(t, run(t, n.PrepareDNS, dnsTarget(l.DNSAddr(), "", "A"), time.Second), model.StatusUnknown, `dns check "dns" has no query`)
	tg := dnsTarget("", lab.WWWName, "A")
	tg.Asset.Address = ""
	tg.Check.Server = "" // ApplyDefaults filled it from the address
	expect(t, run(t, n.PrepareDNS, tg, time.Second), model.StatusUnknown, `dns check "dns" needs a server, and asset "ns" has no address to default to`)
}
