package probes

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// Each check keeps its client between runs; a failure drops it, and Close
// releases every client still open: their sockets are closed and later
// runs are UNKNOWN.
func TestSNMPCloseReleasesEveryClient(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Devices: 3, Spec: snmpagent.DeviceSpec{Interfaces: 2, OperDownIf: -1}})
	p := NewSNMP()
	var checks []Prepared
	for _, d := range a.Devices() {
		r, err := p.Prepare(labTarget(d, nil))
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, r)
	}
	runAll := func() []model.Outcome {
		var outs []model.Outcome
		for _, r := range checks {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			outs = append(outs, r.Run(ctx))
			cancel()
		}
		return outs
	}
	open := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.clients)
	}
	runAll()
	runAll() // the same three clients
	if n := open(); n != 3 {
		t.Fatalf("%d clients open after two runs of three checks, want 3", n)
	}
	a.Devices()[2].SetSilent(true)
	if outs := runAll(); outs[2].Status != model.StatusCritical {
		t.Fatalf("silent device: %v %s", outs[2].Status, outs[2].Summary)
	}
	if n := open(); n != 2 {
		t.Fatalf("%d clients open after a failed run, want 2 (the failed one dropped)", n)
	}
	var clients []*snmpClient
	for _, r := range checks {
		if cl := r.(*snmpProbe).client; cl != nil {
			clients = append(clients, cl)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, cl := range clients {
		if _, err := cl.conn.Conn.Write([]byte{0}); !errors.Is(err, net.ErrClosed) {
			t.Errorf("client %s still open after Close: write says %v", cl.addr, err)
		}
	}
	for i, o := range runAll() {
		if o.Status != model.StatusUnknown || o.Summary != "snmp prober closed" {
			t.Errorf("check %d after Close: %v %q", i, o.Status, o.Summary)
		}
	}
	if n := open(); n != 0 {
		t.Errorf("%d clients after Close", n)
	}
}

// An asset given by name is resolved on every run: when the name points
// elsewhere, the next run polls the new address with a new client.
func TestSNMPNameMovesToAnotherAddress(t *testing.T) {
	first := startSNMPLab(t, nil, snmpagent.Options{FirstAddr: "127.0.9.1", Spec: snmpagent.DeviceSpec{Name: "sw-before", Interfaces: 2}})
	port := first.Devices()[0].Port()
	second := startSNMPLab(t, nil, snmpagent.Options{FirstAddr: "127.0.9.2", Port: port, Spec: snmpagent.DeviceSpec{Name: "sw-after", Interfaces: 2}})
	res := &fixedResolver{names: map[string][]netip.Addr{"sw.test": {netip.MustParseAddr(first.Devices()[0].Host())}}}
	p := newSNMPChecks(WithSNMPResolver(res))
	defer p.Close()
	tg := target(model.Asset{Name: "sw", Address: "sw.test"}, model.Check{Type: model.CheckSNMP, Port: port})

	if out := runSNMP(t, p, tg); out.Attrs["sys_name"] != "sw-before" {
		t.Fatalf("first run: %v", out.Attrs)
	}
	before := p.probeOf(t, tg).client
	res.mu.Lock()
	res.names["sw.test"] = []netip.Addr{netip.MustParseAddr(second.Devices()[0].Host())}
	res.mu.Unlock()
	out := runSNMP(t, p, tg)
	if out.Attrs["sys_name"] != "sw-after" || out.Attrs["address"] != second.Devices()[0].Addr() {
		t.Errorf("after the move: %v", out.Attrs)
	}
	if after := p.probeOf(t, tg).client; after == before || len(p.clients) != 1 {
		t.Errorf("the old client is kept: new %v, %d open", after != before, len(p.clients))
	}
}

// The prepare step reads a check as the loader leaves it: a check that
// skipped the loader's defaults is refused with the key that is missing,
// never polled with a fallback of the probe's own. A run takes its time
// from ctx alone.
func TestSNMPPrepareTakesLoadedChecks(t *testing.T) {
	p := NewSNMP()
	defer p.Close()
	asset := &model.Asset{Name: "sw", Address: "127.0.0.1"}
	three := 3
	for _, tc := range []struct {
		c    model.Check
		want string
	}{
		{model.Check{Name: "snmp", Type: model.CheckSNMP}, "port: want 1 to 65535, got 0"},
		{model.Check{Name: "snmp", Type: model.CheckSNMP, Port: 161}, `version "": want "1", "2c" or "3"`},
		{model.Check{Name: "snmp", Type: model.CheckSNMP, Port: 161, Version: "2c"}, "max_repetitions: want 1 to 1000, got 0"},
		{model.Check{Name: "snmp", Type: model.CheckSNMP, Port: 161, Version: "2c", MaxRepetitions: 25}, "community: must not be empty"},
		{model.Check{Name: "snmp", Type: model.CheckSNMP, Port: 161, Version: "1", Community: model.NewSecret("public")},
			`snmp check "snmp" has no snmp_retries`},
	} {
		if _, err := p.Prepare(Target{Asset: asset, Check: &tc.c}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.want)
		}
	}
	c := model.Check{Name: "snmp", Type: model.CheckSNMP, Port: 161, Version: "1", Community: model.NewSecret("public"), SNMPRetries: &three}
	r, err := p.Prepare(Target{Asset: asset, Check: &c})
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Run(context.Background()); o.Status != model.StatusUnknown || o.Summary != errNoDeadline.Error() {
		t.Errorf("run without a deadline: %v %q", o.Status, o.Summary)
	}
	if n := len(p.clients); n != 0 {
		t.Errorf("%d clients opened by a run that had no time", n)
	}
}
