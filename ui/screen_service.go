package ui

import (
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// serviceHeadRows are the rows of the service screen above its tree.
const serviceHeadRows = 5

// serviceScreen is a business service and its member tree, nested
// services expanded; Enter opens a member.
type serviceScreen struct {
	name           string
	cursor, offset int
	selected       string // the selected tree row: its branch and name
}

func (v *serviceScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		v.move(e, msg.by)
	case pageMsg:
		v.move(e, msg.dir*max(v.listHeight(e)-1, 1))
	case clickMsg:
		rows := serviceTree(e, v.name)
		row := msg.y - serviceHeadRows
		if row < 0 {
			return nil
		}
		if row += window(v.cursor, v.offset, len(rows), v.listHeight(e)); row < len(rows) {
			v.cursor = row
			v.note(rows)
			v.follow(e, len(rows))
		}
	case enterMsg:
		// Row 0 is the service itself.
		if rows := serviceTree(e, v.name); v.cursor < len(rows) && v.cursor > 0 {
			r := rows[v.cursor]
			if r.isService {
				return &serviceScreen{name: r.name}
			}
			return &assetScreen{name: r.name}
		}
	}
	return nil
}

func (v *serviceScreen) move(e *env, by int) {
	rows := serviceTree(e, v.name)
	v.cursor = clampInt(v.cursor+by, 0, len(rows)-1)
	v.note(rows)
	v.follow(e, len(rows))
}

// listHeight is the number of tree rows shown: the body less the head and
// the outages below the tree.
func (v *serviceScreen) listHeight(e *env) int {
	return treeHeight(e.index.service(v.name), e.bodyHeight())
}

// treeHeight is the number of tree rows a body h rows high has room for.
func treeHeight(svc *model.ServiceState, h int) int {
	return max(h-serviceHeadRows-outageRows(svc, h), 1)
}

func (v *serviceScreen) follow(e *env, n int) {
	v.offset = window(v.cursor, v.offset, n, v.listHeight(e))
}

// note records the selected row, to find it again.
func (v *serviceScreen) note(rows []treeRow) {
	v.selected = ""
	if v.cursor >= 0 && v.cursor < len(rows) {
		v.selected = rows[v.cursor].prefix + rows[v.cursor].name
	}
}

// Settle keeps the selected row selected.
func (v *serviceScreen) Settle(e *env) {
	rows := serviceTree(e, v.name)
	if v.selected != "" {
		for i, r := range rows {
			if r.prefix+r.name == v.selected {
				v.cursor = i
				break
			}
		}
	}
	v.cursor = clampInt(v.cursor, 0, len(rows)-1)
	v.note(rows)
	v.follow(e, len(rows))
}

func (v *serviceScreen) Crumb() string { return "service " + clean(v.name) }

// Target is the selected member when it is an asset.
func (v *serviceScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	if rows := serviceTree(e, v.name); v.cursor < len(rows) && !rows[v.cursor].isService {
		return e.index.asset(rows[v.cursor].name), nil
	}
	return nil, nil
}
