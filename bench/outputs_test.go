package main

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFping(t *testing.T) {
	// fping 5.1 -C3 -q: the first two lines from a loopback sweep, the last
	// from a target that never answered (fping pads the address).
	out := "127.1.0.1 : 0.028 0.012 0.010\n" +
		"127.1.0.2 : 0.006 - 0.004\n" +
		"ICMP Host Unreachable from 127.0.0.1 for ICMP Echo sent to 127.9.9.9\n" +
		"10.9.9.9  : - - -\n"
	got, err := parseFping(strings.NewReader(out), 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (pingTally{targets: 3, sent: 9, lost: 4}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := parseFping(strings.NewReader("127.1.0.1 : 0.028 0.012\n"), 3); !errors.Is(err, errOutput) {
		t.Errorf("a line with 2 of 3 results: err = %v, want errOutput", err)
	}
}

// A `noctop check --json` report cut to what the harness reads, with the
// fields it ignores left in (its shape: DESIGN.md, check --json).
const checkReportJSON = `{
  "status": "CRITICAL",
  "icmp_mode": "raw",
  "tally": {"critical": 1},
  "assets": [
    {"name": "t00001", "status": "OK", "checks": [
      {"type": "icmp", "name": "icmp", "status": "OK", "summary": "3/3 received",
       "metrics": {"sent": 3, "received": 3, "loss_pct": 0, "rtt_avg_ms": 0.05}, "units": {"rtt_avg_ms": "ms"}}]},
    {"name": "t00002", "status": "WARNING", "checks": [
      {"type": "icmp", "name": "icmp", "status": "WARNING", "summary": "2/3 received",
       "metrics": {"sent": 3, "received": 2, "loss_pct": 33.3}}]},
    {"name": "t00003", "status": "CRITICAL", "checks": [
      {"type": "icmp", "name": "icmp", "status": "CRITICAL", "summary": "0/3 received",
       "metrics": {"sent": 3, "received": 0, "loss_pct": 100, "rtt_avg_ms": null}}]},
    {"name": "t00004", "status": "UNKNOWN", "checks": [
      {"type": "icmp", "name": "icmp", "status": "UNKNOWN", "summary": "loss not measurable", "metrics": {"sent": 3}}]},
    {"name": "sw1", "status": "OK", "checks": [
      {"type": "snmp", "name": "snmp", "status": "OK", "summary": "48 interfaces", "metrics": {"if_count": 48, "in_bps_total": null}}]}
  ],
  "services": []
}`

func TestParseCheckJSON(t *testing.T) {
	rep, tally, byStatus, err := parseCheckJSON(strings.NewReader(checkReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	// The UNKNOWN check's packets are not counted as lost: it has no verdict.
	if want := (pingTally{targets: 4, sent: 9, lost: 4, unknown: 1}); tally != want {
		t.Errorf("tally %+v, want %+v", tally, want)
	}
	if byStatus["OK"] != 2 || byStatus["WARNING"] != 1 || byStatus["CRITICAL"] != 1 || byStatus["UNKNOWN"] != 1 {
		t.Errorf("by status %v", byStatus)
	}
	if rep.ICMPMode != "raw" || ifCount(rep) != 48 {
		t.Errorf("icmp_mode %q, if_count %d", rep.ICMPMode, ifCount(rep))
	}
	if err := allOK(byStatus, 5); !errors.Is(err, errOutput) {
		t.Errorf("allOK with problems: %v, want errOutput", err)
	}
	if err := allOK(map[string]int{"OK": 5}, 5); err != nil {
		t.Errorf("allOK of 5 OK: %v", err)
	}
	if err := allOK(map[string]int{"OK": 4}, 5); err == nil {
		t.Error("allOK of 4 OK out of 5 wanted: no error")
	}
	if _, _, _, err := parseCheckJSON(strings.NewReader(`{"assets": [`)); !errors.Is(err, errOutput) {
		t.Errorf("cut-short JSON: err = %v, want errOutput", err)
	}
}
