package store

import (
	"context"
	"strings"
	"testing"
)

// What noctop sla reads is a scan of its own covering index, newest first,
// with no sort and no table lookups (the figures are in BENCHMARKS.md).
func TestSubjectStatesPlan(t *testing.T) {
	s := openTest(t, dbPath(t), Options{})
	rows, err := s.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN SELECT "+subjectCols.names()+
		" FROM events WHERE at < ? AND "+subjectStates+" ORDER BY at DESC, id DESC LIMIT ?", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	text := strings.Join(plan, "; ")
	if !strings.Contains(text, "USING COVERING INDEX events_subject_state") || strings.Contains(text, "TEMP B-TREE") {
		t.Errorf("plan: %s", text)
	}
}
