package ui

import (
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// Panes of the overview.
const (
	paneTechnical = iota
	paneApplication
	paneFunctional
	numPanes
)

var paneNames = [numPanes]string{"Technical", "Application", "Functional"}

// paneList is one pane's cursor and scroll offset, and the name of the
// selected item, to find it again when a snapshot re-sorts the list.
type paneList struct {
	cursor, offset int
	selected       string
}

// overviewScreen is the bottom of the stack: the technical, application
// and functional panes, side by side on wide terminals, else the focused
// one under a tab bar. Each pane keeps its own cursor and scroll.
type overviewScreen struct {
	pane  int // focused
	panes [numPanes]paneList
	lines [numPanes]rowLines // each pane's rows as last drawn
	// renewal is the functional pane's renewals list, below its services;
	// inRenewals when the cursor is in it (overview_renewals.go).
	renewal    paneList
	inRenewals bool
}

// Update moves within the focused pane, switches panes and opens the
// selected asset or service.
func (o *overviewScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		o.move(e, msg.by)
	case pageMsg:
		o.move(e, msg.dir*max(max(e.bodyHeight(), 1)-1, 1))
	case paneMsg:
		o.pane = (o.pane + msg.step + numPanes) % numPanes
	case clickMsg:
		o.click(e, msg.x, msg.y)
	case enterMsg:
		return o.open(e)
	}
	return nil
}

// showPane focuses pane p.
func (o *overviewScreen) showPane(p int) { o.pane = p }

func (o *overviewScreen) move(e *env, by int) {
	if o.moveRenewals(e, by) {
		return
	}
	p := o.pane
	l := &o.panes[p]
	n := paneLen(e, p)
	l.cursor = clampInt(l.cursor+by, 0, n-1)
	l.selected = paneItem(e, p, l.cursor)
	l.offset = window(l.cursor, l.offset, n, paneRows(e, p))
}

// click selects the row under the pointer, and side by side its pane.
func (o *overviewScreen) click(e *env, x, y int) {
	p := o.pane
	if e.width >= sideBySide {
		p = paneAt(e, x)
		o.pane = p
	}
	l := &o.panes[p]
	row := y - paneHeadRows + l.offset
	if y >= paneHeadRows && row < paneLen(e, p) && row-l.offset < paneRows(e, p) {
		l.cursor = row
		l.selected = paneItem(e, p, row)
	}
}

// open is the screen of the selected asset or service.
func (o *overviewScreen) open(e *env) screen {
	if o.pane == paneFunctional && o.inRenewals {
		return o.openRenewal(e)
	}
	name := o.panes[o.pane].selected
	switch {
	case e.index == nil || name == "":
		return nil
	case o.pane == paneFunctional:
		return &serviceScreen{name: name}
	}
	return &assetScreen{name: name}
}

// Settle finds each pane's selected item again (a new snapshot re-sorts
// the lists) or clamps its cursor, and keeps its offset in range.
func (o *overviewScreen) Settle(e *env) {
	for p := range numPanes {
		l := &o.panes[p]
		n := paneLen(e, p)
		if l.selected != "" {
			if i := e.index.position(p, l.selected); i >= 0 {
				l.cursor = i
			}
		}
		l.cursor = min(max(l.cursor, 0), max(n-1, 0))
		l.selected = paneItem(e, p, l.cursor)
		l.offset = window(l.cursor, l.offset, n, paneRows(e, p))
	}
	o.settleRenewals(e)
}

// Crumb is the focused pane.
func (o *overviewScreen) Crumb() string { return paneNames[o.pane] }

// Target is the selected asset; a service has nothing to recheck.
func (o *overviewScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	if o.pane == paneFunctional {
		if o.inRenewals {
			return e.index.asset(o.renewalAsset(e)), nil
		}
		return nil, nil
	}
	return e.index.asset(o.panes[o.pane].selected), nil
}

func paneLen(e *env, p int) int {
	if e.index == nil {
		return 0
	}
	switch p {
	case paneTechnical:
		return len(e.index.tech)
	case paneApplication:
		return len(e.index.app)
	}
	return len(e.index.svcs)
}

// paneItem names the item at row i of pane p ("" when out of range).
func paneItem(e *env, p, i int) string {
	if e.index == nil || i < 0 || i >= paneLen(e, p) {
		return ""
	}
	switch p {
	case paneTechnical:
		return e.index.tech[i].a.Name
	case paneApplication:
		return e.index.app[i].a.Name
	}
	return e.index.svcs[i].Name
}

// paneRows is how many list rows pane p shows.
func paneRows(e *env, p int) int {
	body := e.bodyHeight()
	h := body - paneHeadRows
	if p == paneFunctional {
		h -= renewalRows(e.index, body)
	}
	return max(h, 0)
}
