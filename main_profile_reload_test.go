package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"noctop/lab"
	"noctop/lab/snmpagent"
)

// A running monitor follows the custom profile files its config names:
// lowering a threshold in the file (saved as editors do) reloads the
// config, and the access point's check, OK under the old limit (a first
// OK is no event), judges its clients by the new one.
func TestHeadlessReloadsProfileFile(t *testing.T) {
	a, err := snmpagent.Start(t.Context(), snmpagent.Options{Spec: snmpagent.DeviceSpec{
		Name: "ap1", Interfaces: 1, OperDownIf: -1, AccessPoint: true, ObjectID: ".1.3.6.1.4.1.99999.2.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	d := a.Devices()[0]
	cfg := writeConfig(t, fmt.Sprintf(`[defaults]
interval = "1s"
timeout = "900ms"
profiles = ["profiles/ap.toml"]

[[asset]]
name = "ap1"
address = %q

  [[asset.check]]
  type = "snmp"
  port = %d
  profile = "wireless"
`, d.Host(), d.Port()))
	prof := filepath.Join(filepath.Dir(cfg), "profiles", "ap.toml")
	if err := os.MkdirAll(filepath.Dir(prof), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prof, []byte(lab.APProfile), 0o644); err != nil {
		t.Fatal(err)
	}

	run := startHeadless(t, cfg)
	run.waitLine(t, "the start", func(l logLine) bool { return l.Msg == "noctop started" })
	replaceFile(t, prof, strings.Replace(lab.APProfile, "warn  = 30 ", "warn  = 10 ", 1))
	run.waitLine(t, "the reload", isReload("config reloaded"))
	run.waitLine(t, "ap-lobby's 14 clients over the new warn", func(l logLine) bool {
		return l.Asset == "ap1" && l.Check == "snmp" && l.To == "WARNING" && strings.Contains(l.Text, "ap-lobby ap_clients 14 >= warn 10")
	})
	run.signal(t, syscall.SIGTERM)
	if code, _ := run.wait(t); code != 0 {
		t.Fatalf("monitor exit %d:\n%s", code, run.log())
	}
}
