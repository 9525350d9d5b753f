package model

import (
	"slices"
	"time"
)

// Change correlation (issue 12): the engine keeps the newest change of
// each asset (a version, a firmware, a certificate, a reboot), and a check
// that goes from OK to a problem within correlate_window after a change on
// its asset, an ancestor or a linked asset carries it (checkRT.corr) until
// it recovers.

// changeBook holds the newest change per asset name: one entry an asset at
// most, pruned to the config's assets at a reload.
type changeBook struct {
	latest map[string]*Correlation
}

// noteChange records a change on asset ai, known at when.
func (e *Engine) noteChange(ai int, what, from, to string, when time.Time) {
	if e.seeding {
		return
	}
	if e.changes.latest == nil {
		e.changes.latest = map[string]*Correlation{}
	}
	name := e.assets[ai].cfg.Name
	ch := &Correlation{Asset: name, What: what, From: from, To: to, At: when}
	e.changes.latest[name] = ch
	e.attachLate(ai, ch, e.prevRun)
}

// attachLate ties a change seen now to the problems that began since the
// changed value was last seen (prev): the change came first, but the check
// that broke ran before the one that sees it. Those problems are on the
// asset, its descendants, or assets that link to it.
func (e *Engine) attachLate(ai int, ch *Correlation, prev time.Time) {
	if prev.IsZero() {
		return // first sight: nothing to compare
	}
	late := func(aj int) {
		touched := false
		for _, ci := range e.assets[aj].checks {
			c := &e.checks[ci]
			if c.corr != nil || !c.Status.IsProblem() || c.began.Before(prev) || c.began.After(ch.At) {
				continue
			}
			c.setCorr(ch) // After 0: it began as the change was seen
			c.dirty, touched = true, true
		}
		if touched {
			e.markAsset(aj)
			e.enqueue(aj)
		}
	}
	seen := map[int]bool{}
	stack := []int{ai}
	for len(stack) > 0 {
		aj := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[aj] {
			continue
		}
		seen[aj] = true
		late(aj)
		stack = append(stack, e.assets[aj].children...)
	}
	for aj := range e.assets {
		if !seen[aj] && slices.Contains(e.assets[aj].cfg.Links, ch.Asset) {
			late(aj)
		}
	}
}

// noteAttrChange records a watched attr that changed: AttrVersion reads
// "crm changed 4.2.0 -> 4.3.0", AttrFingerprint "portal certificate
// changed" (a fingerprint is not worth quoting).
func (e *Engine) noteAttrChange(c *checkRT, attr, old, cur string, when time.Time) {
	switch attr {
	case AttrVersion:
		e.noteChange(c.asset, "changed", old, cur, when)
	case AttrFingerprint:
		e.noteChange(c.asset, "certificate changed", "", "", when)
	}
}

// noteNoteChange records a probe's note that is a change.
func (e *Engine) noteNoteChange(c *checkRT, n Note, when time.Time) {
	switch {
	case n.Kind == EventReboot:
		e.noteChange(c.asset, "rebooted", "", "", when)
	case n.Kind == EventChange:
		what := n.What
		if what == "" {
			what = "changed"
		}
		e.noteChange(c.asset, what, n.From, n.To, when)
	}
}

// correlateCheck sets or clears check c's correlation after a result:
// set when it went from OK to a problem, cleared when it is OK again.
func (e *Engine) correlateCheck(c *checkRT, prev Status, when time.Time) {
	switch {
	case c.Status == StatusOK:
		c.setCorr(nil)
	case prev == StatusOK && c.Status.IsProblem():
		c.setCorr(e.correlate(c.asset, when))
		c.began = when
		e.recheckLinked(c.asset)
	}
}

// recheckLinked runs now the checks of the linked assets that read a
// version or a certificate, when a problem begins: a change there is then
// seen within a retry, before the problem turns hard, so its hard event
// and notification say so. Links are few and explicit; parents are
// rechecked anyway (recheckParents).
func (e *Engine) recheckLinked(ai int) {
	if e.opts.Recheck == nil || e.opts.OneShot {
		return
	}
	for _, name := range e.assets[ai].cfg.Links {
		aj, ok := e.byName[name]
		if !ok {
			continue
		}
		for _, ci := range e.assets[aj].checks {
			if c := &e.checks[ci]; c.lastAttr != [2]string{} {
				e.opts.Recheck(c.key)
			}
		}
	}
}

// setCorr sets the check's correlation and its words.
func (c *checkRT) setCorr(corr *Correlation) {
	c.corr, c.corrText = corr, ""
	if corr != nil {
		c.corrText = corr.Text()
	}
}

// correlate finds the newest change within the window before when on
// asset ai, its ancestors or the assets it links to; nil for none.
func (e *Engine) correlate(ai int, when time.Time) *Correlation {
	if len(e.changes.latest) == 0 {
		return nil
	}
	window := e.cfg.Defaults.CorrelateWindow.Duration
	if window <= 0 {
		window = DefaultCorrelateWindow
	}
	var best *Correlation
	consider := func(name string) {
		ch := e.changes.latest[name]
		if ch == nil || ch.At.After(when) || when.Sub(ch.At) > window {
			return
		}
		if best == nil || ch.At.After(best.At) {
			best = ch
		}
	}
	a := &e.assets[ai]
	consider(a.cfg.Name)
	for _, l := range a.cfg.Links {
		consider(l)
	}
	// Ancestors, each once (a diamond reaches one twice).
	seen := map[int]bool{}
	stack := append([]int(nil), a.parents...)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		consider(e.assets[p].cfg.Name)
		stack = append(stack, e.assets[p].parents...)
	}
	if best == nil {
		return nil
	}
	out := *best
	out.After = when.Sub(best.At)
	return &out
}

// pruneChanges drops the changes of assets a reload removed.
func (e *Engine) pruneChanges() {
	for name := range e.changes.latest {
		if _, ok := e.byName[name]; !ok {
			delete(e.changes.latest, name)
		}
	}
}
