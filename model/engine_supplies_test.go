package model

import (
	"context"
	"math"
	"testing"
	"time"
)

// printerTable is a printer check's table with one supply at pct, judged
// by a toner threshold of warn 20 / crit 5.
func printerTable(pct float64) *ProfileTable {
	st := (&Limits{Warn: num(20), Crit: num(5)}).Threshold("%", true).Eval(pct)
	return &ProfileTable{Profile: ProfilePrinter, Rows: []ProfileRow{
		{Group: "supply", Label: "Black", Value: pct, Unit: "%", Status: st},
		{Group: "supply", Label: "Cyan", Value: 70, Unit: "%", Status: StatusOK},
		{Group: "supply", Label: "Waste", Value: math.NaN(), Text: "some left", Status: StatusOK},
		{Group: "tray", Label: "Tray 2", Value: 0, Status: StatusWarning},
	}}
}

// A printer's low supplies are consumables in its asset's register (the
// lifecycle check), with the status the check's toner threshold gave;
// refilled, they leave it. The engine and the one-shot state agree.
func TestLowSuppliesInTheRegister(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cfg := &Config{Assets: []Asset{{Name: "prn1", Address: "127.0.0.1",
		Checks: []Check{{Type: CheckSNMP, Profile: ProfilePrinter}}}}}
	cfg.ApplyDefaults()
	key := CheckKey{Asset: "prn1", Check: "snmp"}
	res := func(pct float64, sec int) Result {
		return Result{Key: key, At: at.Add(time.Duration(sec) * time.Second),
			Outcome: Outcome{Status: StatusWarning, Summary: "low", Profile: printerTable(pct)}}
	}
	items := func(s *Snapshot) []Renewal { return s.Asset("prn1").Check(CheckLifecycle).Renewals() }

	for _, c := range []struct {
		pct  float64
		want Status
		n    int
	}{{8, StatusWarning, 1}, {4, StatusCritical, 1}, {21, StatusOK, 0}} {
		results := []Result{res(50, 0), res(c.pct, 1)}
		s := engineSnapshot(t, cfg, func() time.Time { return at.Add(time.Minute) }, results)
		got := items(s)
		if len(got) != c.n {
			t.Fatalf("%v%%: register %+v, want %d items", c.pct, got, c.n)
		}
		if c.n == 1 {
			r := got[0]
			if r.Kind != RenewalConsumable || r.Status != c.want || r.Check != "snmp" || r.Text() != "supply Black at "+FormatValue(c.pct, "%") {
				t.Errorf("%v%%: item %+v (%s)", c.pct, r, r.Text())
			}
			lc := s.Asset("prn1").Check(CheckLifecycle)
			if lc.Status != c.want || lc.Summary != r.Text() || lc.Attrs["supply.1"] == "" {
				t.Errorf("lifecycle check %s %q attrs %v", lc.Status, lc.Summary, lc.Attrs)
			}
		}
		o := NewOneShot(cfg, OneShotOptions{Now: func() time.Time { return at.Add(time.Minute) }})
		for _, r := range results {
			if err := o.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
		var shot []Renewal
		for a := range o.Assets() {
			if a.Name == "prn1" {
				shot = a.Check(CheckLifecycle).Renewals()
			}
		}
		if len(shot) != c.n || (c.n == 1 && (shot[0].Status != c.want || shot[0].Label != "supply Black")) {
			t.Errorf("%v%%: one-shot register %+v, engine's %+v", c.pct, shot, got)
		}
	}
}
