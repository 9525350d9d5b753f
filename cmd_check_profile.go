package main

import "noctop/model"

// profileTable is an snmp check's device profile table in `check --json`
// (model.ProfileTable, with values that may be NaN as null).
type profileTable struct {
	Profile string       `json:"profile"`
	Rows    []profileRow `json:"rows"`
}

type profileRow struct {
	Group  string       `json:"group"`
	Label  string       `json:"label"`
	Value  jsonNum      `json:"value"`
	Unit   string       `json:"unit"`
	Text   string       `json:"text"`
	Status model.Status `json:"status"`
	Reason string       `json:"reason"`
}

func newProfileTable(t *model.ProfileTable) *profileTable {
	if t == nil {
		return nil
	}
	out := &profileTable{Profile: t.Profile, Rows: make([]profileRow, 0, len(t.Rows))}
	for _, r := range t.Rows {
		out.Rows = append(out.Rows, profileRow{Group: r.Group, Label: r.Label, Value: jsonNum(r.Value), Unit: r.Unit,
			Text: r.Text, Status: r.Status, Reason: r.Reason})
	}
	return out
}
