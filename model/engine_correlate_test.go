package model_test

import (
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// corrRig is an estate for correlation: core (a switch) is the parent of
// crm, erp (which links crm) and dms; lone stands apart. Results carry
// their own times (minutes after t0), as a fake clock.
func corrRig(t *testing.T) *rig {
	t.Helper()
	erp := asset("erp", []string{"core"}, model.Check{Type: "http", Name: "link-crm"}, model.Check{Type: "http", Name: "health"})
	erp.Links = []string{"crm"}
	cfg := &model.Config{Assets: []model.Asset{
		asset("core", nil, model.Check{Type: "snmp", Name: "sys"}),
		asset("crm", []string{"core"}, model.Check{Type: "http", Name: "health"}, model.Check{Type: "http", Name: "sync"}),
		erp,
		asset("dms", []string{"core"}, model.Check{Type: "http", Name: "health"}),
		asset("lone", nil, model.Check{Type: "http", Name: "health"}),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	for _, k := range []string{"core/sys", "crm/health", "crm/sync", "erp/link-crm", "erp/health", "dms/health", "lone/health"} {
		asset, check, _ := strings.Cut(k, "/")
		r.at2(0, asset, check, model.StatusOK, map[string]string{model.AttrVersion: "4.2.0"}, nil)
	}
	return r
}

// at2 submits a result stamped min minutes after t0.
func (r *rig) at2(min float64, asset, check string, st model.Status, attrs map[string]string, notes []model.Note) {
	r.t.Helper()
	r.submit(model.Result{Key: model.CheckKey{Asset: asset, Check: check}, At: t0.Add(time.Duration(min * float64(time.Minute))),
		Outcome: model.Outcome{Status: st, Summary: "HTTP " + st.String(), Attrs: attrs, Notes: notes}})
}

func corrOf(t *testing.T, s *model.Snapshot, key string) *model.Correlation {
	t.Helper()
	asset, check, _ := strings.Cut(key, "/")
	c := s.Asset(asset).Check(check)
	if c == nil {
		t.Fatalf("no check %s", key)
	}
	return c.Correlation
}

// TestCorrelation drives a real engine through changes and problems: a
// problem after a change on a linked asset, the same asset or an ancestor
// carries it (the newest within the window), a problem with no change
// nearby, outside the window or on an unrelated asset carries none, and a
// recovery clears it.
func TestCorrelation(t *testing.T) {
	r := corrRig(t)
	r.at2(10, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "4.3.0"}, nil) // the upgrade
	r.at2(12, "erp", "link-crm", model.StatusCritical, nil, nil)                                   // linked
	r.at2(12, "crm", "sync", model.StatusCritical, nil, nil)                                       // same asset
	r.at2(12, "dms", "health", model.StatusCritical, nil, nil)                                     // sibling: no link
	r.at2(12, "lone", "health", model.StatusCritical, nil, nil)                                    // unrelated
	s := r.sync()

	want := "began 2 min after crm changed 4.2.0 -> 4.3.0"
	c := corrOf(t, s, "erp/link-crm")
	if c == nil || c.Asset != "crm" || c.What != "changed" || c.From != "4.2.0" || c.To != "4.3.0" || c.After != 2*time.Minute || !c.At.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("erp/link-crm correlation %+v, want crm 4.2.0 -> 4.3.0 two minutes before", c)
	}
	if c.Text() != want {
		t.Errorf("text %q, want %q", c.Text(), want)
	}
	if erp := s.Asset("erp"); !strings.Contains(erp.Reason, want) {
		t.Errorf("erp reason %q lacks %q", erp.Reason, want)
	}
	if c := corrOf(t, s, "crm/sync"); c == nil || c.Text() != want {
		t.Errorf("crm/sync (same asset) correlation %+v", c)
	}
	for _, k := range []string{"dms/health", "lone/health"} {
		if c := corrOf(t, s, k); c != nil {
			t.Errorf("%s correlated to %q, want none", k, c.Text())
		}
	}
	found := false
	for _, ev := range s.Events {
		if ev.Kind == model.EventState && ev.Asset == "erp" && ev.Check == "link-crm" && ev.To == model.StatusCritical {
			found = strings.HasSuffix(ev.Summary, "; "+want)
		}
	}
	if !found {
		t.Errorf("erp/link-crm's state event does not say %q: %+v", want, s.Events)
	}

	// The correlation stays while the problem lasts, through soft -> hard
	// and a change of problem.
	r.at2(13, "erp", "link-crm", model.StatusWarning, nil, nil)
	r.at2(14, "erp", "link-crm", model.StatusCritical, nil, nil)
	if c := corrOf(t, r.sync(), "erp/link-crm"); c == nil || c.Text() != want {
		t.Errorf("correlation lost while the problem lasts: %+v", c)
	}

	// An ancestor's reboot: the newest change wins over crm's upgrade.
	r.at2(15, "dms", "health", model.StatusOK, nil, nil)
	r.at2(20, "core", "sys", model.StatusOK, nil, []model.Note{{Kind: model.EventReboot, Summary: "rebooted: sysUpTime went back"}})
	r.at2(20.5, "dms", "health", model.StatusCritical, nil, nil)
	r.at2(21, "erp", "health", model.StatusCritical, nil, nil)
	s = r.sync()
	for _, k := range []string{"dms/health", "erp/health"} {
		if c := corrOf(t, s, k); c == nil || c.Change() != "core rebooted" {
			t.Errorf("%s correlation %+v, want core rebooted", k, c)
		}
	}
	if c := corrOf(t, s, "dms/health"); c.Text() != "began 30 s after core rebooted" {
		t.Errorf("dms/health: %q", c.Text())
	}

	// Recovery clears it.
	r.at2(40, "erp", "link-crm", model.StatusOK, nil, nil)
	if c := corrOf(t, r.sync(), "erp/link-crm"); c != nil {
		t.Errorf("erp/link-crm recovered but keeps %q", c.Text())
	}

	// Outside the window (30 min by default): core's reboot 35 min ago,
	// crm's upgrade an hour ago.
	r.at2(45, "dms", "health", model.StatusOK, nil, nil)
	r.at2(55, "dms", "health", model.StatusCritical, nil, nil)
	r.at2(70, "erp", "link-crm", model.StatusCritical, nil, nil)
	s = r.sync()
	for _, k := range []string{"dms/health", "erp/link-crm"} {
		if c := corrOf(t, s, k); c != nil {
			t.Errorf("%s correlated to %q outside the window", k, c.Text())
		}
	}
}

// Firmware (a probe's note with its values), a certificate (fingerprint
// attr) and a version seen for the first time: the first two are changes
// quoted as such, the last is no change at all.
func TestCorrelationChangeKinds(t *testing.T) {
	r := corrRig(t)
	r.at2(1, "lone", "health", model.StatusOK, map[string]string{model.AttrFingerprint: "aa"}, nil)
	r.at2(2, "lone", "health", model.StatusOK, map[string]string{model.AttrFingerprint: "bb"}, nil)
	r.at2(3, "lone", "health", model.StatusCritical, nil, nil)
	r.at2(3, "core", "sys", model.StatusOK, nil, []model.Note{{Kind: model.EventChange, Summary: "firmware changed", What: "firmware changed", From: "AS-24 1.1", To: "AS-24 1.2"}})
	r.at2(4, "dms", "health", model.StatusCritical, nil, nil)
	s := r.sync()
	if c := corrOf(t, s, "lone/health"); c == nil || c.Text() != "began 1 min after lone certificate changed" {
		t.Errorf("lone/health: %+v", c)
	}
	if c := corrOf(t, s, "dms/health"); c == nil || c.Text() != "began 1 min after core firmware changed AS-24 1.1 -> AS-24 1.2" {
		t.Errorf("dms/health: %+v", c)
	}
}

// No change, no correlation: every check fails on an estate that never
// changed.
func TestCorrelationNoChange(t *testing.T) {
	r := corrRig(t)
	for _, k := range []string{"crm/sync", "erp/link-crm", "dms/health"} {
		asset, check, _ := strings.Cut(k, "/")
		r.at2(5, asset, check, model.StatusCritical, nil, nil)
	}
	s := r.sync()
	for _, a := range s.Assets {
		for _, c := range a.Checks {
			if c.Correlation != nil {
				t.Errorf("%s/%s correlated to %q with no change", a.Name, c.Name, c.Correlation.Text())
			}
		}
		if strings.Contains(a.Reason, "began") {
			t.Errorf("%s reason %q", a.Name, a.Reason)
		}
	}
}

// A correlate_window from the config is used: 5 min.
func TestCorrelationWindowFromConfig(t *testing.T) {
	erp := asset("erp", nil, model.Check{Type: "http", Name: "link-crm"})
	erp.Links = []string{"crm"}
	cfg := &model.Config{Defaults: model.Defaults{CorrelateWindow: model.D(5 * time.Minute)},
		Assets: []model.Asset{asset("crm", nil, model.Check{Type: "http", Name: "health"}), erp}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.at2(0, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "1"}, nil)
	r.at2(0, "erp", "link-crm", model.StatusOK, nil, nil)
	r.at2(1, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "2"}, nil)
	r.at2(7, "erp", "link-crm", model.StatusCritical, nil, nil)
	if c := corrOf(t, r.sync(), "erp/link-crm"); c != nil {
		t.Errorf("correlated %q 6 min after, with a 5 min window", c.Text())
	}
}

// The probes see a change in the other order: ERP's link breaks at 10:30,
// the CRM's check that reads its version runs at 11:00 and sees 4.3.0 (it
// read 4.2.0 at 10:00). The link's problem began since the old version was
// last seen, so it is tied to the change; dms, broken at 9:00 before that,
// is not.
func TestCorrelationSeenLate(t *testing.T) {
	r := corrRig(t)
	r.at2(9, "crm", "sync", model.StatusCritical, nil, nil)
	r.at2(10, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "4.2.0"}, nil)
	r.at2(10.5, "erp", "link-crm", model.StatusCritical, nil, nil)
	if c := corrOf(t, r.sync(), "erp/link-crm"); c != nil {
		t.Fatalf("correlated before any change: %q", c.Text())
	}
	r.at2(11, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "4.3.0"}, nil)
	s := r.sync()
	c := corrOf(t, s, "erp/link-crm")
	if c == nil || c.Text() != "began as crm changed 4.2.0 -> 4.3.0" {
		t.Fatalf("erp/link-crm: %+v", c)
	}
	if r := s.Asset("erp").Reason; !strings.Contains(r, "began as crm changed 4.2.0 -> 4.3.0") {
		t.Errorf("erp reason %q", r)
	}
	if c := corrOf(t, s, "crm/sync"); c != nil {
		t.Errorf("crm/sync broke before the old version was last seen, yet carries %q", c.Text())
	}
}

// When a check of an asset with links goes bad, the linked assets' checks
// that read a version are run at once (so the change is seen before the
// problem turns hard); other checks are not.
func TestCorrelationRechecksLinked(t *testing.T) {
	asked := make(chan model.CheckKey, 16)
	erp := asset("erp", nil, model.Check{Type: "http", Name: "link-crm"})
	erp.Links = []string{"crm"}
	cfg := &model.Config{Assets: []model.Asset{
		asset("crm", nil, model.Check{Type: "http", Name: "health"}, model.Check{Type: "http", Name: "sync"}), erp}}
	r := startEngine(t, cfg, model.EngineOptions{Recheck: func(k model.CheckKey) { asked <- k }})
	r.at2(0, "crm", "health", model.StatusOK, map[string]string{model.AttrVersion: "4.2.0"}, nil)
	r.at2(0, "crm", "sync", model.StatusOK, nil, nil)
	r.at2(0, "erp", "link-crm", model.StatusOK, nil, nil)
	r.at2(1, "erp", "link-crm", model.StatusCritical, nil, nil)
	r.sync()
	var got []string
	for len(asked) > 0 {
		got = append(got, (<-asked).String())
	}
	if strings.Join(got, ",") != "crm/health" {
		t.Errorf("rechecked %v, want [crm/health]", got)
	}
}
