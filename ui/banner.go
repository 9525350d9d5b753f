package ui

import (
	"fmt"
	"strings"

	"noctop/model"
)

// banner is the line under the header while anything needs the operator,
// worded from the engine's Tally by tallyText, the function triage's head
// line uses too, so the two always agree. It is red (reversed) only while a
// hard CRITICAL exists (Tally.Red); warnings, unknowns and assets waiting
// for a recheck alone get a quieter line in their own colour, without a
// background, so red keeps its meaning on a wall. A config that a reload
// refused leads the line with its first error until a valid one arrives.
func (m *Root) banner() (string, bool) {
	if !m.hasBanner() {
		return "", false
	}
	t := m.snap.Tally
	refused := refusedText(m.snap.ConfigErrors)
	if t.Quiet() {
		line := fit(" "+model.StatusWarning.Symbol()+" "+refused, m.width)
		return m.styles.status(model.StatusWarning).paint(line), true
	}
	const hint = "   (t: triage)"
	text := tallyText(t, m.snap.Checking)
	if refused != "" {
		text = refused + " · " + text
	}
	line := fit(cut(" "+tallySymbol(t)+" "+text, m.width-width(hint))+hint, m.width)
	if t.Red() {
		return m.styles.banner.paint(line), true
	}
	return m.styles.status(tallyStatus(t)).paint(line), true
}

// refusedText words a refused config for the banner: its first error as
// file:line:col: message, how many more, and that the old config runs.
func refusedText(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	more, uncounted := len(errs)-1, false
	if last := errs[len(errs)-1]; len(errs) > 1 && strings.HasPrefix(last, "…") {
		// That line counts the errors not listed, or says they were not.
		var beyond int
		if n, _ := fmt.Sscanf(last, "… and %d more", &beyond); n == 1 {
			more += beyond - 1
		} else {
			more, uncounted = more-1, true
		}
	}
	s := "config refused: " + clean(errs[0])
	switch {
	case uncounted:
		s += fmt.Sprintf(" (+%d more and others not counted)", more)
	case more > 0:
		s += fmt.Sprintf(" (+%d more)", more)
	}
	return s + "; still running the old config"
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

// tallyText words the engine's counts with the model's phrases (the same
// as check and the log), most urgent first:
// "1 root cause · 9 unreachable · 3 services down · 2 warnings", or at the
// onset of an outage "checking core-sw1 … (10 assets wait for it)".
func tallyText(t model.Tally, checking []string) string {
	parts := tallyParts(t, checking)
	return strings.Join(parts, " · ")
}

// tallyParts are tallyText's phrases, made safe for the terminal.
func tallyParts(t model.Tally, checking []string) []string {
	parts := t.Phrases(checking)
	if len(parts) == 0 {
		return []string{"all quiet"}
	}
	for i, p := range parts {
		parts[i] = clean(p)
	}
	return parts
}
