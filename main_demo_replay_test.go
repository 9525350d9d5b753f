package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
	"noctop/probes"
)

// demoPhase is where the replayed outage stands.
type demoPhase int

const (
	phaseSteady   demoPhase = iota // before core-sw1 fails
	phaseOnset                     // core-sw1 failed, no verdict yet
	phaseOutage                    // "1 root cause": core-sw1, children UNREACHABLE
	phaseRecovery                  // core-sw1 back, children rechecked
	phaseHealed                    // no root cause, nothing unreachable
)

// TestDemoOutageReplay replays the demo's core-sw1 outage on the real lab
// with the real monitor, its timeline shortened (checks every 2 s instead
// of 10 s), and reads every snapshot: the onset never names a false root
// cause, the outage shows "1 root cause" with its unreachable children and
// services down, the recovery never turns a child UNREACHABLE -> CRITICAL
// while its target is up, and the counts always agree with the roles.
func TestDemoOutageReplay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	l, cfg, snapshots := startReplay(ctx, t)
	r := newRecoveryWatch(cfg)

	phase := phaseSteady
	var failedAt, recoveredAt time.Time
	var phases []demoPhase
	for phase != phaseHealed {
		var s *model.Snapshot
		select {
		case s = <-snapshots:
		case <-ctx.Done():
			t.Fatalf("replay stuck in phase %d (phases so far %v)", phase, phases)
		}
		checkSnapshotTruth(t, s, phase)
		r.read(t, s, phase >= phaseRecovery)
		core := s.Asset(lab.CoreSwitch)
		switch phase {
		case phaseSteady:
			// Fail core-sw1 once every check answered and nothing waits.
			if s.Done == s.Checks && s.Tally.Checking == 0 && s.Tally.RootCauses == 0 && s.Tally.Unreachable == 0 {
				for _, a := range s.Assets {
					r.before[a.Name] = a.Status
				}
				if err := l.SetHealthy(lab.CoreSwitch, false); err != nil {
					t.Fatal(err)
				}
				failedAt, phase = time.Now(), phaseOnset
			}
		case phaseOnset:
			if core.Role == model.RoleRootCause {
				for name := range r.children {
					a := s.Asset(name)
					// A grandchild (ap1, printer1) may still wait for its
					// own parent, which is being rechecked: an access
					// switch that answered would mean another path, so the
					// wait is right, as long as it names nothing outside
					// core-sw1's tree.
					waits := a.Role == model.RoleChecking && len(a.Checking) > 0 &&
						!slices.ContainsFunc(a.Checking, func(n string) bool { return !r.children[n] })
					if a.Status.IsProblem() && a.Status != r.before[name] && a.Role != model.RoleUnreachable && !waits {
						// A child that has not failed yet is fine (printer1
						// stays WARNING for its toner until it does); one
						// that failed must be UNREACHABLE now.
						t.Errorf("outage: %s is %s (%s), want UNREACHABLE", name, a.Role, a.Reason)
					}
				}
				phase = phaseOutage
			}
		case phaseOutage:
			// Wait until every child noticed, then bring core-sw1 back.
			if s.Tally.Unreachable == len(r.children) && s.Tally.ServicesDown > 0 {
				if s.Tally.RootCauses != 1 {
					t.Errorf("outage: tally %+v, want 1 root cause", s.Tally)
				}
				t.Logf("outage after %s: %s", time.Since(failedAt).Round(time.Millisecond), s.Tally)
				if err := l.SetHealthy(lab.CoreSwitch, true); err != nil {
					t.Fatal(err)
				}
				recoveredAt, phase = time.Now(), phaseRecovery
			}
		case phaseRecovery:
			if core.Role == model.RoleNone && s.Tally.RootCauses == 0 && s.Tally.Unreachable == 0 && s.Tally.Checking == 0 {
				t.Logf("healed %s after recovery: %s", time.Since(recoveredAt).Round(time.Millisecond), s.Tally)
				phase = phaseHealed
			}
		}
		if len(phases) == 0 || phases[len(phases)-1] != phase {
			phases = append(phases, phase)
		}
	}
	if want := []demoPhase{phaseSteady, phaseOnset, phaseOutage, phaseRecovery, phaseHealed}; !slices.Equal(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
	replayUpgrade(ctx, t, l, snapshots)
}

// replayUpgrade plays the demo's CRM step after the outage: the CRM is
// upgraded to 4.3.0, ERP's link check breaks and carries the correlation
// (check, asset reason, state event), and the rollback heals it and
// clears the correlation. Every snapshot must still tell the truth.
func replayUpgrade(ctx context.Context, t *testing.T, l *lab.Lab, snapshots <-chan *model.Snapshot) {
	t.Helper()
	const change = "crm changed " + lab.CRMVersion + " -> " + lab.CRMUpgrade
	next := func(what string) *model.Snapshot {
		t.Helper()
		select {
		case s := <-snapshots:
			checkSnapshotTruth(t, s, phaseHealed)
			return s
		case <-ctx.Done():
			t.Fatalf("replay stuck: %s", what)
			return nil
		}
	}
	// The CRM's version must have been read before it changes.
	for s := next("crm's version"); s.Asset(lab.CRM).Check("health").Attrs[model.AttrVersion] != lab.CRMVersion; s = next("crm's version") {
	}
	if err := l.SetAppVersion(lab.CRM, lab.CRMUpgrade); err != nil {
		t.Fatal(err)
	}
	upgraded := time.Now()
	var seq uint64
	// event: a state event of the link says the change; hardLate: the link
	// turned hard before the CRM's check saw the upgrade (then only the
	// state, not an event, can say it).
	event, hardLate := false, false
	for {
		s := next("erp's link check tied to the upgrade")
		for _, ev := range s.Events {
			if ev.Seq > seq && ev.Kind == model.EventState && ev.Asset == lab.ERP && ev.Check == "link-crm" && strings.Contains(ev.Summary, change) {
				event = true
			}
		}
		if len(s.Events) > 0 {
			seq = s.Events[len(s.Events)-1].Seq
		}
		link, erp := s.Asset(lab.ERP).Check("link-crm"), s.Asset(lab.ERP)
		hardLate = hardLate || link.Status == model.StatusCritical && link.Hard && link.Correlation == nil
		if link.Status == model.StatusCritical && link.Hard && link.Correlation != nil {
			if link.Correlation.Change() != change || !strings.Contains(erp.Reason, change) {
				t.Errorf("link %q correlation %q, erp reason %q: want %q", link.Summary, link.Correlation.Change(), erp.Reason, change)
			}
			t.Logf("correlated %s after the upgrade: %s", time.Since(upgraded).Round(time.Millisecond), erp.Reason)
			break
		}
		if link.Status.IsProblem() && link.Correlation == nil && time.Since(upgraded) > 10*time.Second {
			t.Fatalf("erp/link-crm %s %q without its correlation", link.Status, link.Summary)
		}
	}
	switch {
	case !event && !hardLate:
		t.Errorf("no state event of erp/link-crm says %q", change)
	case !event:
		// The engine reruns crm's checks when the link fails, so this
		// takes a scheduler stalled past the link's retry.
		t.Logf("erp/link-crm turned hard before crm's upgrade was seen: only its state says %q", change)
	}
	if err := l.SetAppVersion(lab.CRM, lab.CRMVersion); err != nil {
		t.Fatal(err)
	}
	for {
		s := next("the rollback's recovery")
		if link := s.Asset(lab.ERP).Check("link-crm"); link.Status == model.StatusOK {
			if link.Correlation != nil {
				t.Errorf("erp/link-crm recovered but keeps %q", link.Correlation.Text())
			}
			return
		}
	}
}

// startReplay runs the lab and the monitor on the lab's config with the
// demo's timeline shortened (checks every 2 s instead of 10 s) until the
// test ends; the monitor's snapshots arrive on the channel.
func startReplay(ctx context.Context, t *testing.T) (*lab.Lab, *model.Config, <-chan *model.Snapshot) {
	t.Helper()
	dir := t.TempDir()
	l, err := lab.Start(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	text := strings.Replace(l.Config(),
		"[defaults]\ninterval = \"10s\"\ntimeout = \"3s\"\nretries = 2\nretry_interval = \"5s\"\n",
		"[defaults]\ninterval = \"2s\"\ntimeout = \"1s\"\nretries = 2\nretry_interval = \"1s\"\n", 1)
	if !strings.Contains(text, "interval = \"2s\"") {
		t.Fatal("the lab config's [defaults] changed: update this test's shortened timeline")
	}
	path := filepath.Join(dir, "replay.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(cfg, false, nil, probes.WithResolver(l.Resolver()))
	t.Cleanup(m.close)
	sub := m.engine.Subscribe()
	t.Cleanup(func() { sub.Close() })
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.run(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-done
	})
	return l, cfg, sub.C
}

// recoveryWatch checks, once core-sw1 is back, that no child goes
// UNREACHABLE -> CRITICAL on a result measured before core-sw1 recovered,
// nor while its target is up.
type recoveryWatch struct {
	children map[string]bool         // the assets whose only path is core-sw1
	flaps    map[string]bool         // the lab's crm answers /flap up and down in turn
	before   map[string]model.Status // statuses just before the outage
	coreBack time.Time               // when core-sw1 was known up again
	lastSeq  uint64                  // the newest event read
}

func newRecoveryWatch(cfg *model.Config) *recoveryWatch {
	r := &recoveryWatch{children: map[string]bool{}, flaps: map[string]bool{}, before: map[string]model.Status{}}
	// core-sw1's descendants: the printer and the AP hang off the access
	// switches, which hang off core-sw1.
	r.children[lab.CoreSwitch] = true
	for grew := true; grew; {
		grew = false
		for _, a := range cfg.Assets {
			if !r.children[a.Name] && slices.ContainsFunc(a.Parents, func(p string) bool { return r.children[p] }) {
				r.children[a.Name], grew = true, true
			}
		}
	}
	delete(r.children, lab.CoreSwitch)
	for _, a := range cfg.Assets {
		for _, c := range a.Checks {
			if strings.HasSuffix(c.URL, "/flap") {
				r.flaps[a.Name] = true
			}
		}
	}
	return r
}

// read reads a snapshot's new events; during the recovery it notes
// core-sw1's return and checks the events.
func (r *recoveryWatch) read(t *testing.T, s *model.Snapshot, recovering bool) {
	t.Helper()
	if core := s.Asset(lab.CoreSwitch); recovering && !core.Down && r.coreBack.IsZero() {
		// core-sw1 was known up when its first check that answered
		// finished.
		for _, c := range core.Checks {
			if end := c.LastRun.Add(c.Duration); c.Status != model.StatusCritical && (r.coreBack.IsZero() || end.Before(r.coreBack)) {
				r.coreBack = end
			}
		}
	}
	for _, ev := range s.Events {
		if ev.Seq <= r.lastSeq {
			continue
		}
		r.lastSeq = ev.Seq
		if !recovering || ev.Kind != model.EventState || ev.Check != "" {
			continue
		}
		if !r.children[ev.Asset] || ev.From != model.StatusUnreachable || ev.To != model.StatusCritical {
			continue
		}
		// Only a result measured after core-sw1 came back may make a
		// child CRITICAL; and a child that was OK before the outage
		// and does not flap by design must come back OK.
		if r.coreBack.IsZero() || ev.At.Before(r.coreBack) {
			t.Errorf("recovery: %s went UNREACHABLE -> CRITICAL on a result from before core-sw1 recovered: %s", ev.Asset, ev.Summary)
		} else if r.before[ev.Asset] == model.StatusOK && !r.flaps[ev.Asset] {
			t.Errorf("recovery: %s went UNREACHABLE -> CRITICAL while its target is up: %s", ev.Asset, ev.Summary)
		}
	}
}

// checkSnapshotTruth fails when a snapshot says something untrue: a root
// cause that is not core-sw1 (or any root cause outside the outage), a
// tally that disagrees with the roles, or a triage list (the root-cause
// rows) of another length than the banner's count.
func checkSnapshotTruth(t *testing.T, s *model.Snapshot, phase demoPhase) {
	t.Helper()
	var recount model.Tally
	causes := 0
	for _, a := range s.Assets {
		if a.Role == model.RoleRootCause {
			causes++
			if a.Name != lab.CoreSwitch || phase < phaseOnset || phase > phaseRecovery {
				t.Errorf("snapshot %d (phase %d): false root cause %s: %s", s.Seq, phase, a.Name, a.Reason)
			}
		}
		recount.Add(a.Role)
		if a.Flapping { // counted apart: a compressed timeline can flap a link
			recount.Flapping++
		}
	}
	recount.ServicesDown, recount.ServicesDegraded = s.Tally.ServicesDown, s.Tally.ServicesDegraded
	if recount != s.Tally {
		t.Errorf("snapshot %d: tally %+v, roles say %+v", s.Seq, s.Tally, recount)
	}
	if causes != s.Tally.RootCauses {
		t.Errorf("snapshot %d: triage lists %d root causes, the banner counts %d", s.Seq, causes, s.Tally.RootCauses)
	}
}
