package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"noctop/model"
)

// changeSnapshot is the lab with two problems that followed changes, as
// the engine publishes them: mail-gw's banner broke 2 min after its
// application changed 4.2.0 -> 4.3.0, the portal's certificate warning
// began as its certificate changed.
func changeSnapshot() *model.Snapshot {
	s := labSnapshot()
	at := s.At
	mail, portal := s.Asset("mail-gw"), s.Asset("portal")
	up := &model.Correlation{Asset: "mail-gw", What: "changed", From: "4.2.0", To: "4.3.0", At: at.Add(-3 * time.Minute), After: 2 * time.Minute}
	mail.Checks[0].Correlation = up
	mail.Reason += "; " + up.Text()
	cert := &model.Correlation{Asset: "portal", What: "certificate changed", At: at.Add(-2 * time.Hour)}
	portal.Checks[0].Correlation = cert
	portal.Reason += "; " + cert.Text()
	return s
}

// The triage screen lists problems under the change they followed (newest
// change first), and the check screen says which change.
func TestGoldenChanges(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"changes_triage", []string{"t"}},
		{"changes_asset", []string{"t", "down", "enter"}},
		{"changes_check", []string{"t", "down", "enter", "enter"}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz.w, sz.h), func(t *testing.T) {
				m := newTestRoot(t, changeSnapshot(), sz.w, sz.h)
				press(m, c.keys...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}
