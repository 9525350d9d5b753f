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

// dnsProbe is a dns check made ready: the server, the question and the
// expected values in the forms answers are compared in.
type dnsProbe struct {
	n        *Net
	server   string // host:port
	question dns.Question
	head     string // "A www.example.test", for reasons
	expect   []string
	latency  model.Threshold
}

// PrepareDNS is the dns check's prepare step: the server (the loader
// defaults it to the asset address on port 53) checked as host:port, the
// record type looked up and the question built.
func (n *Net) PrepareDNS(t Target) (Prepared, error) {
	c := t.Check
	switch host, port, err := net.SplitHostPort(c.Server); {
	case c.Server == "":
		return nil, fmt.Errorf("dns check %q needs a server, and asset %q has no address to default to", c.Name, t.Asset.Name)
	case err != nil || host == "":
		return nil, fmt.Errorf("server %q: want host:port, e.g. \"127.0.0.1:53\"", c.Server)
	default:
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("server %q: port must be 1 to 65535", c.Server)
		}
	}
	if c.Query == "" {
		return nil, fmt.Errorf("dns check %q has no query", c.Name)
	}
	rtype := strings.ToUpper(c.RecordType)
	if !model.ValidDNSRecordType(rtype) {
		return nil, fmt.Errorf("record_type %q: want one of %s", c.RecordType, strings.Join(model.DNSRecordTypes(), " "))
	}
	q := dns.Question{Name: dns.Fqdn(c.Query), Qtype: dns.StringToType[rtype], Qclass: dns.ClassINET}
	return &dnsProbe{n: n, server: c.Server, question: q, head: rtype + " " + shownName(q.Name),
		expect: c.ExpectList, latency: c.Latency.Threshold()}, nil
}

// Run asks the server for the question over UDP, again over TCP when the
// answer comes back truncated, and requires every expected value in the
// answer. Metrics: latency_ms (the primary), rcode, answers. Attrs: rcode
// (name), transport, server, answer.
func (p *dnsProbe) Run(ctx context.Context) model.Outcome {
	o := p.run(ctx)
	o.Primary = model.MetricLatency
	return o
}

func (p *dnsProbe) run(ctx context.Context) model.Outcome {
	q := &dns.Msg{Question: []dns.Question{p.question}}
	q.Id, q.RecursionDesired = dns.Id(), true // as SetQuestion: a fresh ID each run
	start := time.Now()
	r, transport, err := p.n.exchange(ctx, q, p.server)
	if err != nil {
		s, reason := classify(ctx, start, "waiting for an answer", err)
		reason = strings.TrimSuffix(reason, " by "+p.server) // the prefix names it
		return model.Outcome{Status: s, Summary: fmt.Sprintf("DNS server %s: %s", p.server, reason), Local: isLocal(err)}
	}
	elapsed := time.Since(start)
	m := map[string]float64{
		model.MetricLatency: msOf(elapsed),
		model.MetricRcode:   float64(r.Rcode),
		model.MetricAnswers: float64(len(r.Answer)),
	}
	got := answerValues(r.Answer, p.question.Qtype)
	attrs := map[string]string{
		"rcode":     dns.RcodeToString[r.Rcode],
		"transport": transport,
		"server":    p.server,
	}
	if len(got) > 0 {
		attrs["answer"] = listSome(shown(got), 10, ", ")
	}
	asked := fmt.Sprintf("%s from %s in %s", p.head, p.server, fmtMS(elapsed))
	switch {
	case r.Rcode != dns.RcodeSuccess:
		return model.Outcome{Status: model.StatusCritical, Metrics: m, Attrs: attrs,
			Summary: model.Describe([]string{rcodeName(r.Rcode)}, asked)}
	case len(r.Answer) == 0:
		return model.Outcome{Status: model.StatusCritical, Metrics: m, Attrs: attrs,
			Summary: model.Describe([]string{"no answer (NOERROR, empty)"}, asked)}
	}
	v := model.NewVerdict()
	var missing []string
	for _, want := range p.expect {
		if !hasValue(got, want) {
			missing = append(missing, want)
		}
	}
	facts := fmt.Sprintf("%s: %s in %s", p.head, listSome(shown(got), 3, ", "), fmtMS(elapsed))
	if len(missing) > 0 {
		v.Add(model.StatusCritical, fmt.Sprintf("%s missing, got %s", strings.Join(missing, ", "), listSome(shown(got), 5, ", ")))
		facts = fmt.Sprintf("%s in %s", p.head, fmtMS(elapsed))
	}
	answered := v.Status == model.StatusOK // the expected answer: only latency can fail now
	v.Judge(p.latency, "latency", m[model.MetricLatency])
	return model.Outcome{Status: v.Status, Summary: model.Describe(v.Reasons, facts), Metrics: m, Attrs: attrs, Degraded: answered}
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
