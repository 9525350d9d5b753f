package ui

import "strings"

// banner is the red line shown while any hard problem exists:
// "2 root causes, 14 affected, 1 service down".
func (m *Root) banner() (string, bool) {
	if m.ix == nil || !m.ix.hardProblem {
		return "", false
	}
	return m.st.banner.paint(fit(" "+m.ix.worstHard.Symbol()+" "+bannerText(m.ix), m.w)), true
}

func bannerText(ix *index) string {
	var parts []string
	if n := len(ix.causes); n > 0 {
		parts = append(parts, plural(n, "root cause", "root causes"))
	}
	parts = append(parts, itoa(ix.affected)+" affected")
	if ix.servicesDown > 0 {
		parts = append(parts, plural(ix.servicesDown, "service down", "services down"))
	}
	return strings.Join(parts, ", ") + "   (t: triage)"
}
