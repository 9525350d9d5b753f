package ui

import (
	"fmt"
	"math"
	"time"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

// fixedNow is the clock of every golden test.
var fixedNow = time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)

func date(days int) *toml.LocalDate {
	t := fixedNow.AddDate(0, 0, days)
	return &toml.LocalDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// series makes n history samples of one metric ending at end.
func series(end time.Time, every time.Duration, st model.Status, vals ...map[string]float64) model.History {
	var h model.History
	for i, v := range vals {
		h = h.Append(end.Add(-time.Duration(len(vals)-1-i)*every), st, 12*time.Millisecond, v)
	}
	return h
}

// concat joins histories sample by sample.
func concat(hs ...model.History) model.History {
	var out model.History
	for _, h := range hs {
		for i := range h.Len() {
			smp := h.Sample(i)
			m := map[string]float64{}
			for _, name := range h.Names {
				if v, ok := h.Value(i, name); ok {
					m[name] = v
				}
			}
			out = out.Append(smp.At, smp.Status, smp.Duration, m)
		}
	}
	return out
}

func wave(n int, key string, base, amp float64, extra map[string]float64) []map[string]float64 {
	out := make([]map[string]float64, n)
	for i := range n {
		m := map[string]float64{key: base + amp*math.Abs(math.Sin(float64(i)/3))}
		for k, v := range extra {
			m[k] = v
		}
		out[i] = m
	}
	return out
}

func check(asset, name, typ string, st model.Status, summary string, hist model.History) *model.CheckState {
	c := &model.CheckState{
		Asset: asset, Name: name, Type: typ, Primary: model.DefaultPrimary(typ), Status: st, Hard: true, HardStatus: st,
		MaxAttempts: 3, Summary: summary, LastRun: fixedNow.Add(-7 * time.Second),
		Duration: 15 * time.Millisecond, NextRun: fixedNow.Add(23 * time.Second), Since: fixedNow.Add(-3 * time.Hour),
		History: hist,
	}
	if st.IsProblem() {
		c.Attempt = 3
	}
	if n := hist.Len(); n > 0 {
		c.Metrics = map[string]float64{}
		for _, name := range hist.Names {
			if v, ok := hist.Value(n-1, name); ok {
				c.Metrics[name] = v
			}
		}
	}
	return c
}

// labSnapshot is a hand-built estate in the middle of an outage: core-sw1
// is hard-down (an SNMP switch with an interface table), five assets
// behind it are UNREACHABLE, the portal's certificate is about to expire,
// the ERP is soft-critical, and the local host reports hardware.
func labSnapshot() *model.Snapshot {
	t := fixedNow
	min := time.Minute
	icmpOK := func(asset string, rtt float64) *model.CheckState {
		return check(asset, "icmp", "icmp", model.StatusOK, fmt.Sprintf("3/3 answered, rtt %.1f ms", rtt),
			series(t, 10*time.Second, model.StatusOK, wave(30, model.MetricRTTAvg, rtt, rtt, map[string]float64{model.MetricLossPct: 0})...))
	}
	gw := &model.AssetState{Name: "gw1", Layer: "technical", Kind: "router", Address: "127.0.0.1",
		Tags: []string{"site:lab", "role:edge"}, Children: []string{"core-sw1"}, Status: model.StatusOK, Hard: true,
		HardStatus: model.StatusOK, Reason: "icmp: 3/3 answered", Since: t.Add(-26 * time.Hour),
		Checks: []*model.CheckState{icmpOK("gw1", 0.3)}}

	snmpHist := series(t, 30*time.Second, model.StatusOK, wave(20, model.MetricInBps, 2e6, 8e6, map[string]float64{model.MetricOutBps: 1.5e6})...)
	snmp := check("core-sw1", "snmp", "snmp", model.StatusCritical, "no answer from 127.0.0.10:161 (timeout 3s)", snmpHist)
	snmp.Interfaces = []model.Interface{
		{Index: 1, Name: "Gi0/1", Alias: "uplink to gw1", AdminUp: true, OperStatus: "up", SpeedBps: 1e9, InBps: 8.2e6, OutBps: 1.1e6, UtilPct: 0.8, Status: model.StatusOK},
		{Index: 2, Name: "Gi0/2", Alias: "erp-app", AdminUp: true, OperStatus: "down", SpeedBps: 1e9, InBps: 0, OutBps: 0, UtilPct: 0, InErrors: 42, Status: model.StatusCritical, Reason: "admin up, oper down"},
		{Index: 3, Name: "Gi0/3", Alias: "spare", AdminUp: false, OperStatus: "down", SpeedBps: 1e9, InBps: math.NaN(), OutBps: math.NaN(), UtilPct: math.NaN(), InErrors: math.NaN(), OutErrors: math.NaN(), Status: model.StatusOK},
		{Index: 4, Name: "Te1/1", Alias: "storage ✓ 存储", AdminUp: true, OperStatus: "up", SpeedBps: 1e10, InBps: 9.1e9, OutBps: 2e9, UtilPct: 91, Status: model.StatusWarning, Reason: "util 91%"},
	}
	swIcmp := check("core-sw1", "icmp", "icmp", model.StatusCritical, "3/3 lost",
		concat(series(t.Add(-30*time.Second), 10*time.Second, model.StatusOK, wave(20, model.MetricRTTAvg, 0.4, 0.5, map[string]float64{model.MetricLossPct: 0})...),
			series(t, 10*time.Second, model.StatusCritical, map[string]float64{model.MetricLossPct: 100}, map[string]float64{model.MetricLossPct: 100}, map[string]float64{model.MetricLossPct: 100})))
	swIcmp.Since = t.Add(-4 * min)
	// Nothing answered: the probe names the loss as what sums up its
	// result (Outcome.Primary), since there is no round trip to show.
	swIcmp.Primary = model.MetricLossPct
	sw := &model.AssetState{Name: "core-sw1", Layer: "technical", Kind: "switch", Address: "127.0.0.10",
		Tags: []string{"site:lab", "role:core"}, Parents: []string{"gw1"},
		Children:  []string{"erp", "crm", "dms", "web-shop", "portal"},
		Lifecycle: &model.Lifecycle{Commissioned: date(-4 * 365), WarrantyEnd: date(45), EOL: date(400), Owner: "netops"},
		Status:    model.StatusCritical, Hard: true, HardStatus: model.StatusCritical, Down: true,
		Reason: "icmp: 3/3 lost", Since: t.Add(-4 * min), Checks: []*model.CheckState{swIcmp, snmp}}

	hostHist := series(t, 30*time.Second, model.StatusOK, wave(25, model.MetricCPU, 12, 40, map[string]float64{
		model.MetricMem: 63, model.MetricSwap: 0, model.MetricLoadPerCore: 0.4, model.MetricDisk + ":/": 71, model.MetricDisk + ":/var": 93})...)
	hc := check("this-host", "host", "host", model.StatusWarning, "cpu 52% mem 63% swap 0% load/core 0.40 disk /var 93% temp n/a", hostHist)
	hc.Attrs = map[string]string{"hostname": "noc1", "os": "linux", "kernel": "6.8.0 x86_64", "cores": "2", "temperatures": "n/a"}
	host := &model.AssetState{Name: "this-host", Layer: "technical", Kind: "host", Address: "127.0.0.1",
		Status: model.StatusWarning, Hard: true, HardStatus: model.StatusWarning, Reason: "host: disk /var 93%",
		Since: t.Add(-50 * min), Checks: []*model.CheckState{hc, icmpOK("this-host", 0.05)}}

	unreach := func(name, kind, addr string) *model.AssetState {
		c := check(name, "health", "http", model.StatusCritical, "dial tcp "+addr+":80: connect: no route to host",
			series(t, 10*time.Second, model.StatusOK, wave(24, model.MetricLatency, 20, 15, map[string]float64{model.MetricStatusCode: 200})...))
		c.Metrics = map[string]float64{}
		return &model.AssetState{Name: name, Layer: "application", Kind: kind, Address: addr, Parents: []string{"core-sw1"},
			Status: model.StatusUnreachable, Hard: true, HardStatus: model.StatusUnreachable, RootCauses: []string{"core-sw1"}, RootCause: "core-sw1",
			Reason: "unreachable: core-sw1 is down; health: no route to host", Since: t.Add(-4 * min), Checks: []*model.CheckState{c}}
	}
	erp := unreach("erp", "ERP", "127.0.0.21")
	crm := unreach("crm", "CRM", "127.0.0.22")
	dms := unreach("dms", "DMS", "127.0.0.23")
	shop := unreach("web-shop", "web shop", "127.0.0.20")

	tlsc := check("portal", "cert", "tls", model.StatusWarning, "certificate expires in 5 days (CN portal.lab)",
		series(t, time.Hour, model.StatusWarning, wave(12, model.MetricCertDays, 5, 0, nil)...))
	tlsc.Attrs = map[string]string{"issuer": "noctop lab CA", "fingerprint": "ab:cd:ef"}
	https := check("portal", "https", "http", model.StatusOK, "HTTP 200 in 31 ms",
		series(t, 10*time.Second, model.StatusOK, wave(30, model.MetricLatency, 25, 20, map[string]float64{model.MetricStatusCode: 200, model.MetricCertDays: 88})...))
	portal := &model.AssetState{Name: "portal", Layer: "application", Kind: "portal", Address: "127.0.0.30",
		Parents: []string{"gw1"}, Lifecycle: &model.Lifecycle{WarrantyEnd: date(20), Owner: "web team"},
		Status: model.StatusWarning, Hard: true, HardStatus: model.StatusWarning, Reason: "cert: certificate expires in 5 days",
		Since: t.Add(-2 * time.Hour), Checks: []*model.CheckState{tlsc, https}}

	mailc := check("mail-gw", "smtp-banner", "tcp", model.StatusCritical, "connect 127.0.0.40:25: connection refused",
		series(t, 10*time.Second, model.StatusOK, wave(10, model.MetricConnect, 1, 1, nil)...))
	mailc.Hard, mailc.Attempt, mailc.HardStatus = false, 1, model.StatusOK
	mail := &model.AssetState{Name: "mail-gw", Layer: "application", Kind: "mail gateway", Address: "127.0.0.40",
		Parents: []string{"gw1"}, Status: model.StatusCritical, Hard: false, HardStatus: model.StatusOK,
		Reason: "smtp-banner: connection refused", Since: t.Add(-20 * time.Second), Checks: []*model.CheckState{mailc}}

	dns := &model.AssetState{Name: "lab-dns", Layer: "application", Kind: "DNS server", Address: "127.0.0.53",
		Status: model.StatusMaintenance, Hard: true, HardStatus: model.StatusMaintenance, Reason: `maintenance "resolver upgrade" (BIND 9.20); 1/1 checks OK`,
		Maintenance: &model.Maintenance{Window: "resolver upgrade", Reason: "BIND 9.20", By: "alice", From: t.Add(-10 * min), Until: t.Add(90 * min)},
		Since:       t.Add(-10 * min), Checks: []*model.CheckState{check("lab-dns", "www", "dns", model.StatusOK, "A www.lab: 127.0.0.20 in 1 ms",
			series(t, 10*time.Second, model.StatusOK, wave(20, model.MetricLatency, 1, 1, nil)...))}}
	newAP := &model.AssetState{Name: "ap-floor2", Layer: "technical", Kind: "access point", Address: "127.0.0.60",
		Status: model.StatusPending, Checks: []*model.CheckState{{Asset: "ap-floor2", Name: "icmp", Type: "icmp", MaxAttempts: 3}}}

	svc := func(name, rule, desc string, st model.Status, reason string, up int, members ...model.MemberState) *model.ServiceState {
		return &model.ServiceState{Name: name, Rule: rule, Description: desc, Status: st, Reason: reason, Up: up, Total: len(members),
			Since: t.Add(-4 * min), Members: members}
	}
	mem := func(name string, st model.Status) model.MemberState { return model.MemberState{Name: name, Status: st} }
	// blamed is a member the service's reason names, as the engine marks it.
	blamed := func(name string, st model.Status) model.MemberState {
		return model.MemberState{Name: name, Status: st, Culprit: true}
	}
	o2c := svc("Order to cash", "2 of 3", "Degraded but working while two of ERP, CRM and DMS are up", model.StatusCritical,
		"erp UNREACHABLE, crm UNREACHABLE, dms UNREACHABLE", 0, blamed("erp", model.StatusUnreachable), blamed("crm", model.StatusUnreachable), blamed("dms", model.StatusUnreachable))
	sales := svc("Online sales", "all", "Shop, portal and name service must all work", model.StatusCritical,
		"web-shop UNREACHABLE", 2, blamed("web-shop", model.StatusUnreachable), mem("portal", model.StatusWarning), mem("lab-dns", model.StatusMaintenance))
	contact := svc("Customer contact", "any", "Customers reach us by CRM portal or by mail", model.StatusWarning,
		"crm UNREACHABLE", 1, blamed("crm", model.StatusUnreachable), mem("mail-gw", model.StatusOK))
	business := svc("Business", "all", "Everything customers see", model.StatusCritical, "Order to cash CRITICAL, Online sales CRITICAL", 1,
		model.MemberState{Name: "Order to cash", IsService: true, Status: model.StatusCritical, Culprit: true},
		model.MemberState{Name: "Online sales", IsService: true, Status: model.StatusCritical, Culprit: true},
		model.MemberState{Name: "Customer contact", IsService: true, Status: model.StatusWarning})
	// Availability as the engine publishes it, from hard-state timelines:
	// Business (sla 99.9%) down now and for 2 h 40 m ten days ago; Online
	// sales known for three days only; Customer contact never down.
	day := 24 * time.Hour
	timeline := func(known time.Duration, changes ...model.Transition) [3]model.Availability {
		tl := &model.Timeline{Known: t.Add(-known), Start: model.StatusOK, Changes: changes}
		return tl.MeasureAll(t)
	}
	down := func(ago time.Duration) model.Transition {
		return model.Transition{At: t.Add(-ago), Status: model.StatusCritical}
	}
	up := func(ago time.Duration) model.Transition {
		return model.Transition{At: t.Add(-ago), Status: model.StatusOK}
	}
	business.SLA = 99.9
	business.Availability = timeline(40*day, down(10*day), up(10*day-160*min), down(4*min))
	o2c.Availability = timeline(40*day, down(4*min))
	sales.Availability = timeline(3*day, down(4*min))
	contact.Availability = timeline(40 * day)

	s := &model.Snapshot{Seq: 42, At: t, ConfigPath: "/etc/noctop/lab.toml",
		Assets:   []*model.AssetState{gw, sw, host, newAP, erp, crm, dms, shop, portal, mail, dns},
		Services: []*model.ServiceState{business, o2c, sales, contact},
		Newest:   t.Add(-2 * time.Second),
		Events: []model.Event{
			// In arrival order, as the engine records them: a result that
			// took longer arrives after a later one (Seq 3 ran first).
			{Seq: 1, At: t.Add(-5 * min), Kind: model.EventState, Asset: "core-sw1", Check: "icmp", From: model.StatusOK, FromHard: true, To: model.StatusCritical, Attempt: 1, MaxAttempts: 3, Summary: "3/3 lost"},
			{Seq: 2, At: t.Add(-4*min - 30*time.Second), Kind: model.EventState, Asset: "core-sw1", Check: "icmp", From: model.StatusCritical, FromAttempt: 1, To: model.StatusCritical, Attempt: 2, MaxAttempts: 3, Summary: "3/3 lost"},
			{Seq: 3, At: t.Add(-4 * min), Kind: model.EventState, Asset: "core-sw1", Check: "icmp", From: model.StatusCritical, FromAttempt: 2, To: model.StatusCritical, Hard: true, Attempt: 3, MaxAttempts: 3, Summary: "3/3 lost"},
			{Seq: 4, At: t.Add(-4*min - 10*time.Second), Kind: model.EventReboot, Asset: "core-sw1", Check: "snmp", From: model.StatusOK, To: model.StatusOK, Hard: true, Summary: "sysUpTime went back from 41d to 2m"},
			{Seq: 5, At: t.Add(-4 * min), Kind: model.EventState, Asset: "erp", From: model.StatusOK, FromHard: true, To: model.StatusUnreachable, Hard: true, Summary: "unreachable: core-sw1 is down; health: no route to host"},
		},
	}
	// The engine's classification, set by hand: the UI must show these,
	// never derive its own.
	sw.Role = model.RoleRootCause
	for _, a := range []*model.AssetState{erp, crm, dms, shop} {
		a.Role = model.RoleUnreachable
	}
	host.Role, portal.Role, mail.Role = model.RoleWarning, model.RoleWarning, model.RoleSoft
	s.Tally = model.Tally{RootCauses: 1, Unreachable: 4, Warning: 2, Soft: 1, ServicesDown: 3, ServicesDegraded: 1}
	for _, a := range s.Assets {
		s.Counts[a.Status]++
		for _, c := range a.Checks {
			s.Checks++
			if !c.LastRun.IsZero() {
				s.Done++
			}
		}
	}
	return s
}

// onsetSnapshot is the lab a few seconds into core-sw1's failure: its icmp
// check is soft and the engine rechecks it because its children started
// failing; until that verdict they wait (RoleChecking), none is a root
// cause yet, and the services they carry are already down.
func onsetSnapshot() *model.Snapshot {
	s := labSnapshot()
	sw := s.Asset("core-sw1")
	sw.Role, sw.Down, sw.Hard, sw.Reason = model.RoleSoft, false, false, "icmp: 3/3 lost"
	sw.Checks[0].Hard, sw.Checks[0].Attempt, sw.Checks[0].HardStatus = false, 1, model.StatusOK
	for _, n := range []string{"erp", "crm", "dms", "web-shop"} {
		a := s.Asset(n)
		a.Status, a.HardStatus, a.RootCauses, a.RootCause = model.StatusCritical, model.StatusCritical, nil, ""
		a.Role, a.Checking, a.Reason = model.RoleChecking, []string{"core-sw1"}, "health: no route to host"
	}
	s.Checking = []string{"core-sw1"}
	s.Tally = model.Tally{Checking: 4, Warning: 2, Soft: 2, ServicesDown: 3, ServicesDegraded: 1}
	s.Counts = [len(s.Counts)]int{}
	for _, a := range s.Assets {
		s.Counts[a.Status]++
	}
	return s
}
