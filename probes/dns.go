package probes

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"noctop/model"
)

// DNS runs one dns check: ask server (default: the asset address, port 53)
// for query/record_type over UDP, again over TCP when the answer comes back
// truncated, and require every expected value in the answer. Metrics:
// latency_ms, rcode, answers. Attrs: rcode (name), transport, answer.
func (n *Net) DNS(ctx context.Context, t Target) model.Outcome {
	c := t.Check
	server := dnsServer(c.Server, t.Asset.Address)
	if server == "" {
		return model.Unknown("dns check needs a server or an asset address")
	}
	if c.Query == "" {
		return model.Unknown("dns check needs a query")
	}
	rtype := strings.ToUpper(c.RecordType)
	if rtype == "" {
		rtype = model.DefaultDNSRecordType
	}
	qtype, ok := dns.StringToType[rtype]
	if !ok {
		return model.Unknown("record_type %q is not a DNS record type", c.RecordType)
	}
	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(c.Query), qtype)
	name := shownName(q.Question[0].Name)

	start := time.Now()
	r, transport, err := n.exchange(ctx, q, server)
	if err != nil {
		s, reason := classify(ctx, start, "waiting for an answer", err)
		reason = strings.TrimSuffix(reason, " by "+server) // the prefix names it
		return model.Outcome{Status: s, Summary: fmt.Sprintf("DNS server %s: %s", server, reason), Local: isLocal(err)}
	}
	elapsed := time.Since(start)
	m := map[string]float64{
		"latency_ms": msOf(elapsed),
		"rcode":      float64(r.Rcode),
		"answers":    float64(len(r.Answer)),
	}
	got := answerValues(r.Answer, qtype)
	attrs := map[string]string{
		"rcode":     dns.RcodeToString[r.Rcode],
		"transport": transport,
		"server":    server,
	}
	if len(got) > 0 {
		attrs["answer"] = listSome(shown(got), 10, ", ")
	}
	head := fmt.Sprintf("%s %s", rtype, name)
	if r.Rcode != dns.RcodeSuccess {
		return model.Outcome{Status: model.StatusCritical, Metrics: m, Attrs: attrs,
			Summary: fmt.Sprintf("%s for %s from %s in %s", rcodeName(r.Rcode), head, server, fmtMS(elapsed))}
	}
	if len(r.Answer) == 0 {
		return model.Outcome{Status: model.StatusCritical, Metrics: m, Attrs: attrs,
			Summary: fmt.Sprintf("no answer for %s (NOERROR, empty) from %s", head, server)}
	}
	v := model.NewVerdict()
	var missing []string
	for _, want := range c.ExpectList {
		if !hasValue(got, want) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		v.Add(model.StatusCritical, fmt.Sprintf("%s missing, got %s", strings.Join(missing, ", "), listSome(shown(got), 5, ", ")))
	}
	answered := v.Status == model.StatusOK // the expected answer: only latency can fail now
	v.Judge(c.Latency.Threshold(), "latency", m["latency_ms"])
	base := fmt.Sprintf("%s: %s in %s", head, listSome(shown(got), 3, ", "), fmtMS(elapsed))
	if len(missing) > 0 {
		base = head
	}
	return model.Outcome{Status: v.Status, Summary: joinReason(base, v), Metrics: m, Attrs: attrs, Degraded: answered}
}

// dnsServer is server with port 53 added when it has none, or the asset
// address on port 53 when server is empty.
func dnsServer(server, address string) string {
	if server == "" {
		server = address
	}
	if server == "" {
		return ""
	}
	if _, _, err := net.SplitHostPort(server); err == nil {
		return server
	}
	return hostPort(server, 53)
}

// exchange asks over UDP and retries over TCP when the answer is truncated
// (TC bit), as a stub resolver does. The ctx deadline bounds both.
func (n *Net) exchange(ctx context.Context, q *dns.Msg, server string) (*dns.Msg, string, error) {
	r, err := n.exchangeOver(ctx, "udp", q, server)
	if err != nil {
		return nil, "udp", err
	}
	if !r.Truncated {
		return r, "udp", nil
	}
	r, err = n.exchangeOver(ctx, "tcp", q, server)
	return r, "tcp (udp answer truncated)", err
}

func (n *Net) exchangeOver(ctx context.Context, network string, q *dns.Msg, server string) (*dns.Msg, error) {
	// miekg/dns applies its own 2s default unless Timeout is set; the
	// caller's deadline is the only clock, so Timeout is what is left of it.
	timeout := 24 * time.Hour
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
		if timeout <= 0 {
			return nil, context.DeadlineExceeded
		}
	}
	cl := &dns.Client{Net: network, Dialer: n.dialer(), Timeout: timeout}
	conn, err := cl.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer context.AfterFunc(ctx, func() { _ = conn.Close() })()
	r, _, err := cl.ExchangeWithConnContext(ctx, q, conn)
	return r, err
}

// rrValue is one answer record: its type and the forms an expect entry may
// take (an IP in canonical form, a name without the final dot, "10 mx.host"
// and "mx.host" for MX).
type rrValue struct {
	rtype uint16
	show  string
	keys  []string
}

func answerValues(rrs []dns.RR, qtype uint16) []rrValue {
	out := make([]rrValue, 0, len(rrs))
	for _, rr := range rrs {
		h := rr.Header()
		var keys []string
		switch x := rr.(type) {
		case *dns.A:
			keys = []string{x.A.String()}
		case *dns.AAAA:
			keys = []string{x.AAAA.String()}
		case *dns.CNAME:
			keys = []string{normName(x.Target)}
		case *dns.MX:
			keys = []string{normName(x.Mx), strconv.Itoa(int(x.Preference)) + " " + normName(x.Mx)}
		case *dns.NS:
			keys = []string{normName(x.Ns)}
		case *dns.PTR:
			keys = []string{normName(x.Ptr)}
		case *dns.SRV:
			keys = []string{normName(x.Target), fmt.Sprintf("%d %d %d %s", x.Priority, x.Weight, x.Port, normName(x.Target))}
		case *dns.TXT:
			keys = []string{strings.Join(x.Txt, "")}
		case *dns.SOA:
			keys = []string{normName(x.Ns)}
		default:
			keys = []string{strings.TrimPrefix(rr.String(), h.String())}
		}
		// The server's text, as long as a TXT record can be (64 KB over
		// TCP): cut for display; keys keep it whole for expect.
		show := model.Clip(keys[len(keys)-1], model.MaxNetText)
		if h.Rrtype != qtype {
			show = dns.TypeToString[h.Rrtype] + " " + show
		}
		out = append(out, rrValue{rtype: h.Rrtype, show: show, keys: keys})
	}
	return out
}

func hasValue(got []rrValue, want string) bool {
	w := normName(want)
	if ip, err := netip.ParseAddr(want); err == nil {
		w = ip.String()
	}
	for _, g := range got {
		for _, k := range g.keys {
			if strings.EqualFold(k, w) || k == want {
				return true
			}
		}
	}
	return false
}

func shown(got []rrValue) []string {
	s := make([]string, len(got))
	for i, g := range got {
		s[i] = g.show
	}
	return s
}

func normName(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// shownName is a query name for a reason: without its final dot, except
// the root, which would otherwise vanish ("NXDOMAIN for NS  from ...").
func shownName(fqdn string) string {
	if fqdn == "." {
		return fqdn
	}
	return strings.TrimSuffix(fqdn, ".")
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return "rcode " + strconv.Itoa(rc)
}
