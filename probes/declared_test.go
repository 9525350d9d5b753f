package probes

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// assertDeclared fails t for every metric an outcome of check c emits that
// neither model declares (model.LookupMetric) nor c's config does
// (c.CustomMetrics: an snmp check's custom OIDs), and for a Primary that
// is neither. Every probe's tests may call it on what they get.
func assertDeclared(t testing.TB, c *model.Check, o model.Outcome) {
	t.Helper()
	// As the front ends look a metric up: the check's own declarations
	// (its oids, its profile's, families by their base name), then the
	// common table.
	st := &model.CheckState{Custom: c.CustomMetrics()}
	declared := func(name string) bool {
		_, ok := st.Metric(name)
		return ok
	}
	for name := range o.Metrics {
		if !declared(name) {
			t.Errorf("%s check %q emits metric %q, which is not declared (%s %q)", c.Type, c.Name, name, o.Status, o.Summary)
		}
	}
	if o.Primary != "" && !declared(o.Primary) {
		t.Errorf("%s check %q names primary %q, which is not declared", c.Type, c.Name, o.Primary)
	}
}

// primaryOf is the primary metric every outcome of c, on its first run,
// must name.
func primaryOf(c *model.Check, o model.Outcome) string {
	_, rtt := o.Metrics[model.MetricRTTAvg]
	ifs, polled := o.Metrics[model.MetricIfCount]
	switch {
	case c.Type == model.CheckTCP && len(c.ExpectList) > 0:
		return model.MetricResponse
	case c.Type == model.CheckICMP && !rtt:
		return model.MetricLossPct // no reply: no round trip to show
	case c.Type == model.CheckSNMP && polled && model.ProfilePrimary(c.Profile) != "":
		return model.ProfilePrimary(c.Profile) // a UPS by its charge, a printer by its lowest toner
	case c.Type == model.CheckSNMP && polled && ifs == 0:
		return model.MetricResponse // no interface watched: the agent's answer time
	}
	return model.DefaultPrimary(c.Type)
}

// Every metric an outcome emits is declared, and every outcome names its
// kind's primary metric: each probe against real loopback servers (the
// lab: every check of its config, its SNMP agent included; and servers of
// this test), on the paths that answer and on those that fail.
func TestEveryMetricIsDeclared(t *testing.T) {
	l := startLab(t)
	s := NewSet(WithResolver(l.Resolver()))
	defer s.Close()
	cfg, err := model.Parse("lab.toml", []byte(l.Config()))
	if err != nil {
		t.Fatal(err)
	}

	type probeCase struct {
		name    string
		tg      Target
		timeout time.Duration
	}
	var cases []probeCase
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			cases = append(cases, probeCase{a.Key(c).String(), Target{Asset: a, Check: c}, c.Timeout.Duration})
		}
	}

	closedHost, closed := closedPort(t)
	sw := l.SNMPDevice(lab.CoreSwitch)
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	}))
	defer loop.Close()
	refused := fmt.Sprintf("%s:%d", closedHost, closed)
	timeouts := func(c model.Check) model.Check {
		c.Latency = &model.DurationLimits{Warn: model.D(time.Microsecond)} // every answer is slow
		return c
	}
	for _, c := range []struct {
		name    string
		tg      Target
		timeout time.Duration
	}{
		{"http refused", httpTarget(httpCheck("http://" + refused + "/")), time.Second},
		{"http redirect loop", httpTarget(httpCheck(loop.URL + "/")), 5 * time.Second},
		{"http too slow for its deadline", httpTarget(httpCheck(l.URL(lab.ERP, "/slow"))), 200 * time.Millisecond},
		{"http over its latency", httpTarget(timeouts(httpCheck(l.URL(lab.WebShop, "/healthy")))), 5 * time.Second},
		{"http not found", httpTarget(httpCheck(l.URL(lab.WebShop, "/nope"))), 5 * time.Second},
		{"tcp refused", tcpTarget(refused, model.Check{}), time.Second},
		{"tcp over its latency", tcpTarget(l.TCPAddr(), timeouts(model.Check{})), 5 * time.Second},
		{"tcp expect missing", tcpTarget(l.TCPAddr(), model.Check{Expect: "nope"}), 300 * time.Millisecond},
		{"dns nxdomain", dnsTarget(l.DNSAddr(), "nope."+lab.Zone, "A"), 5 * time.Second},
		{"dns expect missing", dnsTarget(l.DNSAddr(), lab.WWWName, "A", "127.0.0.99"), 5 * time.Second},
		{"dns refused", dnsTarget(refused, lab.WWWName, "A"), time.Second},
		{"tls refused", tlsTarget(refused, model.Check{}), time.Second},
		{"tls plain text server", tlsTarget(l.TCPAddr(), model.Check{}), time.Second},
		{"tls wrong host", tlsTarget(l.TLSAddr(lab.CertWrongHost), model.Check{CAFile: l.CAFile(), ServerName: lab.PortalName}), 5 * time.Second},
		{"icmp unknown name", icmpTarget("nope."+lab.Zone, 3, 5*time.Millisecond), time.Second},
		{"icmp loopback", icmpTarget("127.0.0.1", 3, 5*time.Millisecond), 2 * time.Second},
		{"host", hostTarget(model.Check{Disk: limits(num(0), nil)}), 5 * time.Second},
		{"snmp port unreachable", snmpTarget("127.0.0.1", closedUDPPort(t), model.Check{}), time.Second},
		{"snmp wrong community", snmpTarget(sw.Host(), sw.Port(), model.Check{Community: model.NewSecret("wrong-" + sw.Community())}), 300 * time.Millisecond},
		{"snmp no interface watched, an OID missing", snmpTarget(sw.Host(), sw.Port(), model.Check{
			Interfaces: &model.InterfaceFilter{Include: "^none$"},
			OIDs:       []model.OIDCheck{{Name: "nothing", OID: "1.3.6.1.4.1.99999.1.0", Warn: num(1)}}}), 2 * time.Second},
		{"snmp over its limits", snmpTarget(sw.Host(), sw.Port(), model.Check{
			HostResources: true, CPU: limits(num(0), nil), Memory: limits(num(0), nil), Disk: limits(num(0), nil)}), 2 * time.Second},
	} {
		cases = append(cases, probeCase(c))
	}

	kinds := map[string]bool{}
	for _, tc := range cases {
		o := run(t, s.Prepare, tc.tg, tc.timeout)
		t.Logf("%-32s %-8s %s %v", tc.name, o.Status, o.Summary, o.Metrics)
		assertDeclared(t, tc.tg.Check, o)
		if want := primaryOf(tc.tg.Check, o); o.Primary != want {
			t.Errorf("%s: primary %q, want %q", tc.name, o.Primary, want)
		}
		kinds[tc.tg.Check.Type] = true
	}
	for _, k := range model.CheckTypes() {
		if !kinds[k] {
			t.Errorf("no %s check was run", k)
		}
	}
}

// The helper itself: an undeclared name fails, a family member and a
// custom OID's name pass.
func TestAssertDeclared(t *testing.T) {
	snmp := &model.Check{Type: model.CheckSNMP, OIDs: []model.OIDCheck{{Name: "ups_load", OID: "1.3.6.1.2.1.33.1.4.4.1.5.1"}}}
	for _, tc := range []struct {
		o    model.Outcome
		fail bool
	}{
		{model.Outcome{Metrics: map[string]float64{model.MetricDisk + ":/var": 1, "ups_load": 2}, Primary: "ups_load"}, false},
		{model.Outcome{Metrics: map[string]float64{"tls_days_left": 1}}, true},
		{model.Outcome{Metrics: map[string]float64{model.MetricCPU: 1}, Primary: "days_left"}, true},
	} {
		rec := &recordingTB{TB: t}
		assertDeclared(rec, snmp, tc.o)
		if rec.failed != tc.fail {
			t.Errorf("%v: failed %v, want %v", tc.o, rec.failed, tc.fail)
		}
	}
}

// recordingTB notes a failure instead of failing the test.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Errorf(string, ...any) { r.failed = true }
func (r *recordingTB) Helper()               {}

// snmpTarget is an snmp check of host:port as the loader leaves it.
func snmpTarget(host string, port int, c model.Check) Target {
	c.Type, c.Port = model.CheckSNMP, port
	return target(model.Asset{Name: "sw", Address: host}, c)
}

// closedUDPPort is a loopback UDP port where nothing listens: listen, note
// the port, close.
func closedUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}
