package lab

import (
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// Names in the lab zone. Every address in it is a loopback address.
const (
	Zone       = "lab.noctop.test"
	WWWName    = "www.lab.noctop.test"    // A = web-shop address, AAAA ::1
	ShopName   = "shop.lab.noctop.test"   // CNAME www
	MailName   = "mail.lab.noctop.test"   // A = mail-gw address; the zone's MX
	PortalName = "portal.lab.noctop.test" // A = portal address; the valid certificate
	LegacyName = "legacy.lab.noctop.test" // A = portal address; the expiring certificate
	OtherName  = "other.lab.noctop.test"  // the wrong-host certificate's only name
	// BigName has BigRecords A records: over 512 bytes, so a UDP answer
	// comes back truncated and a client must retry over TCP.
	BigName    = "big.lab.noctop.test"
	BigRecords = 64
	// TXTValue is the zone apex's TXT record.
	TXTValue = "v=noctop-lab1"
)

// dnsServer answers for Zone over UDP and TCP on one port: authoritative,
// NXDOMAIN for unknown names (in the zone or not), NODATA for known names
// without the asked type, CNAMEs followed within the zone, UDP answers
// truncated to 512 bytes (or the client's EDNS0 size) with the TC bit.
type dnsServer struct {
	addr    string
	healthy atomic.Bool
	up      func() bool         // the network path (core-sw1)
	records map[string][]dns.RR // by lower-case FQDN
	soa     dns.RR
}

func (l *Lab) startDNS() error {
	pc, ln, err := listenUDPTCP(AddrDNS)
	if err != nil {
		return err
	}
	s := &dnsServer{addr: pc.LocalAddr().String(), up: l.reachable}
	s.healthy.Store(true)
	l.dns = s
	if err := s.buildZone(l); err != nil {
		pc.Close()
		ln.Close()
		return err
	}
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: s}, {Listener: ln, Handler: s}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		l.wg.Go(func() { _ = srv.ActivateAndServe() })
		// Shutdown before the server has started fails ("server not
		// started") and would leave it running: wait for the start.
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			return fmt.Errorf("lab: DNS server on %s did not start", s.addr)
		}
		l.servers = append(l.servers, func() { _ = srv.Shutdown() })
	}
	return nil
}

// listenUDPTCP opens UDP and TCP on the same free port of addr, trying a
// few ports: the UDP port may be taken for TCP.
func listenUDPTCP(addr string) (net.PacketConn, net.Listener, error) {
	var last error
	for range 20 {
		ln, err := listen(addr)
		if err != nil {
			return nil, nil, err
		}
		pc, err := net.ListenPacket("udp", ln.Addr().String())
		if err == nil {
			return pc, ln, nil
		}
		ln.Close()
		last = err
	}
	return nil, nil, fmt.Errorf("lab: no free UDP+TCP port on %s: %w", addr, last)
}

func (s *dnsServer) buildZone(l *Lab) error {
	host := func(hp string) string { h, _, _ := net.SplitHostPort(hp); return h }
	ns := host(s.addr)
	lines := []string{
		"@ SOA ns.lab.noctop.test. hostmaster.lab.noctop.test. 1 3600 600 86400 60",
		"@ NS ns.lab.noctop.test.",
		"@ MX 10 mail.lab.noctop.test.",
		fmt.Sprintf("@ TXT %q", TXTValue),
		"ns A " + ns,
		"www A " + host(l.apps[WebShop].addr),
		"www AAAA ::1",
		"shop CNAME www.lab.noctop.test.",
		"erp A " + host(l.apps[ERP].addr),
		"crm A " + host(l.apps[CRM].addr),
		"dms A " + host(l.apps[DMS].addr),
		"mail A " + host(l.tcp.addr),
		"portal A " + host(l.portal[CertValid]),
		"legacy A " + host(l.portal[CertExpiring]),
		"other A " + host(l.portal[CertWrongHost]),
	}
	for i := 1; i <= BigRecords; i++ {
		lines = append(lines, fmt.Sprintf("big A 127.0.1.%d", i))
	}
	s.records = map[string][]dns.RR{}
	for _, line := range lines {
		name, rest, _ := strings.Cut(line, " ")
		fq := Zone + "."
		if name != "@" {
			fq = name + "." + fq
		}
		rr, err := dns.NewRR(fq + " 60 IN " + rest)
		if err != nil {
			return fmt.Errorf("lab zone %q: %w", line, err)
		}
		s.records[strings.ToLower(fq)] = append(s.records[strings.ToLower(fq)], rr)
		if rr.Header().Rrtype == dns.TypeSOA {
			s.soa = rr
		}
	}
	return nil
}

// ServeDNS answers one query.
func (s *dnsServer) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	switch {
	case !s.healthy.Load() || !s.up():
		m.Rcode = dns.RcodeServerFailure
	case len(req.Question) != 1:
		m.Rcode = dns.RcodeFormatError
	default:
		s.answer(m, req.Question[0])
	}
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = max(int(opt.UDPSize()), dns.MinMsgSize)
		m.SetEdns0(uint16(size), false)
	}
	if w.LocalAddr().Network() == "udp" {
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

func (s *dnsServer) answer(m *dns.Msg, q dns.Question) {
	name := strings.ToLower(q.Name)
	for hops := 0; hops < 8; hops++ {
		rrs, ok := s.records[name]
		if !ok {
			if hops == 0 {
				m.Rcode = dns.RcodeNameError
				m.Ns = []dns.RR{s.soa}
			}
			return
		}
		var cname *dns.CNAME
		for _, rr := range rrs {
			switch {
			case rr.Header().Rrtype == q.Qtype || q.Qtype == dns.TypeANY:
				m.Answer = append(m.Answer, rr)
			case rr.Header().Rrtype == dns.TypeCNAME:
				cname = rr.(*dns.CNAME)
			}
		}
		if cname == nil || q.Qtype == dns.TypeCNAME {
			break
		}
		m.Answer = append(m.Answer, cname)
		name = strings.ToLower(cname.Target)
	}
	if len(m.Answer) == 0 {
		m.Ns = []dns.RR{s.soa}
	}
}
