package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"noctop/model"
)

// renewalSnapshot is the lab with the portal's lifecycle check as the
// engine publishes it: its warranty and the certificates its checks saw.
func renewalSnapshot() *model.Snapshot {
	s := labSnapshot()
	portal := s.Asset("portal")
	day := func(d int) time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	leaf := &model.Cert{Subject: "CN=portal.lab", Issuer: "CN=noctop lab CA,O=noctop lab", NotAfter: fixedNow.Add(5*24*time.Hour + time.Hour), Fingerprint: "ab"}
	ca := &model.Cert{Subject: "CN=noctop lab CA,O=noctop lab", Issuer: "CN=noctop lab CA,O=noctop lab", NotAfter: fixedNow.AddDate(9, 0, 0), Fingerprint: "cd"}
	items := []model.Renewal{
		{Asset: "portal", Kind: model.RenewalCert, Label: "certificate CN=portal.lab", Date: leaf.NotAfter, Days: 5, Status: model.StatusCritical, Owner: "web team", Check: "cert", Cert: leaf},
		{Asset: "portal", Kind: model.RenewalWarranty, Label: "warranty", Date: day(20), Days: 20, Status: model.StatusCritical, Owner: "web team"},
		{Asset: "portal", Kind: model.RenewalCert, Label: "certificate CN=noctop lab CA", Date: ca.NotAfter, Days: 3287, Status: model.StatusOK, Owner: "web team", Check: "cert", Cert: ca},
	}
	lc := &model.CheckState{Asset: "portal", Name: model.CheckLifecycle, Type: model.CheckLifecycle, Status: model.StatusCritical,
		Hard: true, HardStatus: model.StatusCritical, MaxAttempts: 1, Summary: items[0].Text() + " (+1 more due)",
		LastRun: fixedNow.Add(-time.Minute), Since: fixedNow.Add(-time.Hour), Register: &model.Register{Items: items}}
	portal.Checks = append(portal.Checks, lc)
	portal.Status, portal.HardStatus, portal.Role = model.StatusCritical, model.StatusCritical, model.RoleCritical
	portal.Reason = "lifecycle: " + lc.Summary
	s.Tally.Warning--
	s.Tally.Critical++
	return s
}

// Down past the last service enters the renewals (worst first, the
// certificate included); Enter opens that row's asset with its register,
// Esc comes back to the same row, Up past the first row is back in the
// services.
func TestRenewalEnterOpensAsset(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := newTestRoot(t, renewalSnapshot(), sz.w, sz.h)
			press(m, "3", "down", "down", "down", "down")
			o := m.overview()
			if !o.inRenewals || o.renewal.cursor != 0 || m.top() != screen(o) {
				t.Fatalf("in renewals %v at %d", o.inRenewals, o.renewal.cursor)
			}
			wantIn(t, m, "✗5 cert")
			t.Run("pane", func(t *testing.T) {
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
			press(m, "down", "down", "enter")
			a, ok := m.top().(*assetScreen)
			if !ok || a.name != "core-sw1" {
				t.Fatalf("enter on the third renewal opened %T %+v, want core-sw1's asset screen", m.top(), m.top())
			}
			press(m, "esc", "up", "up", "enter")
			if a, ok := m.top().(*assetScreen); !ok || a.name != "portal" {
				t.Fatalf("enter on the first renewal opened %T, want portal's asset screen", m.top())
			}
			wantIn(t, m, "Renewals", "certificate CN=portal.lab", "issuer C")
			t.Run("asset", func(t *testing.T) {
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
			// The lifecycle check's own screen shows the register.
			press(m, "down", "down", "enter")
			if c, ok := m.top().(*checkScreen); !ok || c.check != model.CheckLifecycle {
				t.Fatalf("enter on the lifecycle row opened %T", m.top())
			}
			wantIn(t, m, "Register", "certificate CN=portal.lab")
			press(m, "esc", "esc", "up")
			if o.inRenewals || o.panes[paneFunctional].selected != "Customer contact" {
				t.Fatalf("up from the first renewal: in renewals %v, service %q", o.inRenewals, o.panes[paneFunctional].selected)
			}
		})
	}
}
