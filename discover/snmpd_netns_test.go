package discover_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/discover"
	"noctop/model"
	"noctop/probes"
	"noctop/snmpdtest"
)

// net-snmp's snmpd in a network namespace the test creates: one agent
// answering v2c on 127.0.0.1 (a Linux host: system group and
// HOST-RESOURCES), one answering SNMPv3 only on 127.0.0.2. Discovery runs
// inside the namespace in a child process (this test binary again), since
// a sweep's sockets are opened by many goroutines.

const envNetnsPort = "NOCTOP_DISCOVER_NETNS_PORT"

func TestDiscoverSnmpdNetns(t *testing.T) {
	ns := snmpdtest.NewNetns(t, "noctop-disc")
	port := snmpdtest.NetnsPort()
	snmpdtest.StartInNetns(t, ns, "127.0.0.1", port, "rocommunity public 127.0.0.1\nsysName ns-snmpd\n")
	snmpdtest.StartInNetns(t, ns, "127.0.0.2", port, "createUser ops SHA \"authpass1\" AES \"privpass1\"\nrouser ops priv\nsysName v3-only\n")
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestDiscoverSnmpdNetnsChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envNetnsPort+"="+strconv.Itoa(port))
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestDiscoverSnmpdNetnsChild")) {
		t.Fatalf("discovery in the namespace: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestDiscoverSnmpdNetnsChild is the part inside the namespace.
func TestDiscoverSnmpdNetnsChild(t *testing.T) {
	port, err := strconv.Atoi(os.Getenv(envNetnsPort))
	if err != nil {
		t.Skip("runs inside TestDiscoverSnmpdNetns's namespace only")
	}
	res := run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: port}, Timeout: time.Second}, "127.0.0.0/29")
	got := map[string]*discover.Host{}
	for _, h := range res.Hosts {
		got[h.Addr.String()] = h
		t.Logf("%s: %s kind %q problem %v", h.Addr, h.Name, h.Kind, h.Problem)
	}
	h := got["127.0.0.1"]
	if h == nil || !h.SNMP() || h.SysName != "ns-snmpd" || h.Kind != discover.KindServer || h.Profile != "host" ||
		!strings.HasPrefix(h.SysObjectID, ".1.3.6.1.4.1.8072.3.2.") || !slices.Contains(h.Roots, probes.RootHostStorage) || !strings.HasPrefix(h.SysDescr, "Linux") {
		t.Errorf("snmpd v2c: %+v", h)
	}
	if h := got["127.0.0.2"]; h == nil || !errors.Is(h.Problem, discover.ErrV3Only) {
		t.Errorf("snmpd v3 only: %+v", h)
	}
	if h := got["127.0.0.3"]; h == nil || !errors.Is(h.Problem, discover.ErrSilent) {
		t.Errorf("no agent: %+v", h)
	}
	cfg := discover.Write(res.Hosts, discover.Credentials{Port: port})
	if !strings.Contains(cfg, "  profile = \"host\"\n") {
		t.Errorf("written config:\n%s", cfg)
	}
	// The written snmp check reads the agent's HOST-RESOURCES: memory and
	// disks (hrProcessorLoad stays empty for snmpd's first minute).
	parsed, err := model.Parse("found.toml", []byte(cfg))
	if err != nil || len(parsed.Assets) != 1 {
		t.Fatalf("written config: %v\n%s", err, cfg)
	}
	set := probes.NewSet()
	defer set.Close()
	a := &parsed.Assets[0]
	for i := range a.Checks {
		c := &a.Checks[i]
		if c.Type != model.CheckSNMP {
			continue
		}
		pr, err := set.Prepare(probes.Target{Asset: a, Check: c})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), c.Timeout.Duration)
		o := pr.Run(ctx)
		cancel()
		t.Logf("discovered snmp check: %s %s", o.Status, o.Summary)
		if _, ok := o.Metrics[model.MetricMem]; !ok || o.Attrs["sys_name"] != "ns-snmpd" {
			t.Errorf("the discovered snmp check: %s %q, metrics %v", o.Status, o.Summary, o.Metrics)
		}
	}
	v3 := discover.Credentials{Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: "authpass1", PrivProtocol: "AES", PrivPassword: "privpass1", Port: port}
	res = run(t, discover.Options{ICMP: icmp(t), Creds: v3, Timeout: time.Second}, "127.0.0.2")
	if a := res.Answered(); len(a) != 1 || a[0].SysName != "v3-only" || a[0].Kind != discover.KindServer {
		t.Errorf("snmpd v3 with the user: %+v", res.Hosts[0])
	}
}
