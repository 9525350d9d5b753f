package ui

import (
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// triageScreen lists what needs the operator, most urgent first: root
// causes with what each takes down, assets being rechecked with those
// waiting for them, then other problems. Its items are assets; it scrolls
// as a document under a fixed head.
type triageScreen struct {
	cursor, offset int
	selected       string // the selected asset's name
}

func (t *triageScreen) Update(msg tea.Msg, e *env) screen {
	d := e.index.triage()
	switch msg := msg.(type) {
	case moveMsg:
		t.cursor = clampInt(t.cursor+msg.by, 0, len(d.items)-1)
		t.note(d)
		t.follow(e, d)
	case pageMsg:
		t.page(e, d, msg.dir)
	case clickMsg:
		if item, ok := t.itemAt(e, d, msg.y); ok {
			t.cursor = item
			t.note(d)
			t.follow(e, d)
		}
	case enterMsg:
		if t.cursor < len(d.items) {
			return &assetScreen{name: d.items[t.cursor].r.a.Name}
		}
	}
	return nil
}

// page moves to the item a screen away, at least one item.
func (t *triageScreen) page(e *env, d *triageDoc, dir int) {
	if len(d.items) == 0 {
		return
	}
	target := d.first[min(t.cursor, len(d.items)-1)] + dir*max(t.docHeight(e)-1, 1)
	i := 0
	for i+1 < len(d.items) && d.first[i+1] <= target {
		i++
	}
	if dir > 0 {
		i = max(i, t.cursor+1)
	} else {
		i = min(i, t.cursor-1)
	}
	t.cursor = clampInt(i, 0, len(d.items)-1)
	t.note(d)
	t.follow(e, d)
}

// docHeight is the number of document lines under the head.
func (t *triageScreen) docHeight(e *env) int {
	return max(e.bodyHeight()-triageHeadRows(e), 1)
}

// follow scrolls so the selected item's lines are in view.
func (t *triageScreen) follow(e *env, d *triageDoc) {
	from, to := 0, 0
	if t.cursor < len(d.items) {
		from = d.first[t.cursor]
		to = from + itemLines[d.items[t.cursor].kind]
	}
	t.offset = followDoc(t.offset, from, to, len(d.entries), t.docHeight(e), t.cursor == 0)
}

// note records the selected asset's name, to find it again.
func (t *triageScreen) note(d *triageDoc) {
	t.selected = ""
	if t.cursor >= 0 && t.cursor < len(d.items) {
		t.selected = d.items[t.cursor].r.a.Name
	}
}

// Settle keeps the selected asset selected, and in view: items come and
// go with each snapshot.
func (t *triageScreen) Settle(e *env) {
	d := e.index.triage()
	if t.selected != "" {
		for i, it := range d.items {
			if it.r.a.Name == t.selected {
				t.cursor = i
				break
			}
		}
	}
	t.cursor = clampInt(t.cursor, 0, len(d.items)-1)
	t.note(d)
	t.follow(e, d)
}

// itemAt maps a body row to an item.
func (t *triageScreen) itemAt(e *env, d *triageDoc, y int) (int, bool) {
	head := triageHeadRows(e)
	line := y - head + min(t.offset, max(len(d.entries)-t.docHeight(e), 0))
	if y < head || line >= len(d.entries) || d.entries[line].item < 0 {
		return 0, false
	}
	return d.entries[line].item, true
}

func (t *triageScreen) Crumb() string { return "Triage" }

func (t *triageScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	if d := e.index.triage(); t.cursor < len(d.items) {
		return d.items[t.cursor].r.a, nil
	}
	return nil, nil
}
