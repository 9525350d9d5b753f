package ui

import (
	"strings"

	"noctop/model"
)

// banner is the line under the header while anything needs the operator,
// worded from the engine's Tally by tallyText, the function triage's head
// line uses too, so the two always agree. It is red (reversed) only while a
// hard CRITICAL exists (Tally.Red); warnings, unknowns and assets waiting
// for a recheck alone get a quieter line in their own colour, without a
// background, so red keeps its meaning on a wall.
func (m *Root) banner() (string, bool) {
	if m.snap == nil || m.snap.Tally.Quiet() {
		return "", false
	}
	t := m.snap.Tally
	const hint = "   (t: triage)"
	line := fit(cut(" "+tallySymbol(t)+" "+tallyText(t, m.snap.Checking), m.w-width(hint))+hint, m.w)
	if t.Red() {
		return m.st.banner.paint(line), true
	}
	return m.st.st(tallyStatus(t)).paint(line), true
}

// tallyStatus is the status whose colour and symbol the banner takes: the
// worst kind of problem the tally holds.
func tallyStatus(t model.Tally) model.Status {
	switch {
	case t.Red():
		return model.StatusCritical
	case t.Unknown > 0:
		return model.StatusUnknown
	case t.Warning > 0 || t.ServicesDegraded > 0:
		return model.StatusWarning
	}
	return model.StatusPending // only assets waiting for a recheck
}

func tallySymbol(t model.Tally) string {
	if !t.Red() && t.Unknown == 0 && t.Warning == 0 && t.ServicesDegraded == 0 && t.Checking > 0 {
		return roleWait.sym
	}
	return tallyStatus(t).Symbol()
}

// maxCheckingNames bounds the rechecked assets named in the banner.
const maxCheckingNames = 3

// tallyText words the engine's counts, most urgent first:
// "1 root cause · 9 unreachable · 3 services down · 2 warnings", or at the
// onset of an outage "checking core-sw1 … (10 assets wait for it)".
func tallyText(t model.Tally, checking []string) string {
	return strings.Join(tallyParts(t, checking), " · ")
}

// tallyParts are tallyText's phrases.
func tallyParts(t model.Tally, checking []string) []string {
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(t.RootCauses, "root cause", "root causes")
	if len(checking) > 0 || t.Checking > 0 {
		parts = append(parts, checkingText(t.Checking, checking))
	}
	add(t.Unreachable, "unreachable", "unreachable")
	add(t.Critical, "critical", "critical")
	add(t.ServicesDown, "service down", "services down")
	add(t.Unknown, "unknown", "unknown")
	add(t.Warning, "warning", "warnings")
	add(t.ServicesDegraded, "service degraded", "services degraded")
	add(t.Soft, "retrying", "retrying")
	if len(parts) == 0 {
		return []string{"all quiet"}
	}
	return parts
}

// checkingText is "checking core-sw1 … (10 assets wait for it)".
func checkingText(waiting int, checking []string) string {
	if len(checking) == 0 {
		return plural(waiting, "asset waits", "assets wait") + " for a recheck"
	}
	names := make([]string, 0, maxCheckingNames+1)
	for i, n := range checking {
		if i == maxCheckingNames {
			names = append(names, "+"+itoa(len(checking)-i)+" more")
			break
		}
		names = append(names, clean(n))
	}
	s := "checking " + strings.Join(names, ", ") + " …"
	if waiting > 0 {
		it := "it"
		if len(checking) > 1 {
			it = "them"
		}
		s += " (" + plural(waiting, "asset waits", "assets wait") + " for " + it + ")"
	}
	return s
}
