package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"noctop/model"
)

// Availability (`noctop sla`, a restart's SLA history) reads the state
// changes of assets and services themselves over 30 days. One row each in
// events, 1,000 assets with three outages a day are 360,000 rows, and
// reading a row through database/sql costs about a microsecond whatever
// its size. subject_days (migration6) keeps the same changes packed: one
// row per subject and UTC day, its changes as text, in the order written:
// "offset,from,to,flags;" (offset: nanoseconds into the day; statuses as
// numbers; flags 1 when From was hard, plus 2 when the change is hard); a
// day past 4 KB of changes goes on in a next part (rows.go, appendDay).
// The writer appends to a row as it writes the event (SQL's || on text),
// so both tables always agree. Soft changes are kept too: a subject's
// first change, soft or hard, says what it was before (model.Timelines,
// the rule the monitor applies live), so a subject that never answered
// and went "PENDING -> CRITICAL soft" then "CRITICAL soft -> CRITICAL
// hard" is not counted up before its first hard change.

// dayNanos is a day in nanoseconds: subject_days.day is at / dayNanos.
const dayNanos = int64(24 * time.Hour)

// dayChange is ev's day and its entry in subject_days when ev is a state
// change of an asset or service itself.
func dayChange(ev *model.Event) (day int64, change string, ok bool) {
	at := ev.At.UnixNano()
	if ev.Kind != model.EventState || ev.Check != "" || at < 0 {
		return 0, "", false
	}
	b := make([]byte, 0, 24)
	b = strconv.AppendInt(b, at%dayNanos, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(ev.From), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(ev.To), 10)
	flags := byte('0')
	if ev.FromHard {
		flags++
	}
	if ev.Hard {
		flags += 2
	}
	return at / dayNanos, string(append(b, ',', flags, ';')), true
}

// dayEntry is one change read back.
type dayEntry struct {
	at             int64
	from, to       model.Status
	fromHard, hard bool
}

// parseDay appends the changes of one row of day to out; a damaged tail is
// left out.
func parseDay(out []dayEntry, day int64, text []byte) []dayEntry {
	for len(text) > 0 {
		var f [4]int64
		for i := range f {
			j := 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			sep := byte(',')
			if i == len(f)-1 {
				sep = ';'
			}
			if j == 0 || j > 18 || j == len(text) || text[j] != sep {
				return out
			}
			for _, d := range text[:j] {
				f[i] = f[i]*10 + int64(d-'0')
			}
			text = text[j+1:]
		}
		if f[0] >= dayNanos || f[1] > 255 || f[2] > 255 || f[3] > 3 {
			return out
		}
		out = append(out, dayEntry{at: day*dayNanos + f[0], from: model.Status(f[1]), to: model.Status(f[2]),
			fromHard: f[3]&1 != 0, hard: f[3]&2 != 0})
	}
	return out
}

// subjectChanges are the changes of one asset or service, oldest first.
type subjectChanges struct {
	asset, service string
	changes        []dayEntry
}

func (sc *subjectChanges) event(i int) model.Event {
	c := &sc.changes[i]
	return model.Event{At: time.Unix(0, c.at), Kind: model.EventState, Asset: sc.asset, Service: sc.service,
		From: c.from, To: c.to, Hard: c.hard, FromHard: c.fromHard}
}

// readSubjectDays reads the state changes (soft and hard) of assets and services at
// or after since and before until (zero: unbounded), by subject, each
// subject's by time, then in the order written (as events' at, id). With
// servicesOnly, only services' (their asset is empty): a seek per day.
func (s *Store) readSubjectDays(ctx context.Context, since, until time.Time, servicesOnly bool) ([]*subjectChanges, error) {
	from, to := int64(0), int64(1)<<62
	if !since.IsZero() {
		from = since.UnixNano()
	}
	if !until.IsZero() {
		to = until.UnixNano()
	}
	r := subjectReader{from: from, to: to, byName: map[string]*subjectChanges{}}
	if !servicesOnly {
		rows, err := s.r.QueryContext(ctx, "SELECT day, asset, service, changes FROM subject_days WHERE day >= ? AND day <= ?",
			from/dayNanos, to/dayNanos)
		if err != nil {
			return nil, classify(s.path, err)
		}
		if err := r.read(rows); err != nil {
			return nil, classify(s.path, err)
		}
		return r.sorted(), nil
	}
	// Two queries: SQLite seeks the key's end for a lone min() or max(),
	// and scans the table for both at once.
	var first, last sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT min(day) FROM subject_days").Scan(&first); err != nil {
		return nil, classify(s.path, err)
	}
	if err := s.r.QueryRowContext(ctx, "SELECT max(day) FROM subject_days").Scan(&last); err != nil {
		return nil, classify(s.path, err)
	}
	stmt, err := s.r.PrepareContext(ctx, "SELECT day, asset, service, changes FROM subject_days WHERE day = ? AND asset = ''")
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer stmt.Close()
	for day := max(from/dayNanos, first.Int64); last.Valid && day <= min(to/dayNanos, last.Int64); day++ {
		rows, err := stmt.QueryContext(ctx, day)
		if err != nil {
			return nil, classify(s.path, err)
		}
		if err := r.read(rows); err != nil {
			return nil, classify(s.path, err)
		}
	}
	return r.sorted(), nil
}

// subjectReader gathers subject_days rows by subject.
type subjectReader struct {
	from, to int64
	out      []*subjectChanges
	byName   map[string]*subjectChanges
	key      []byte
	scratch  []dayEntry
}

// read takes rows (day, asset, service, changes) and closes them.
func (r *subjectReader) read(rows *sql.Rows) error {
	defer rows.Close()
	for rows.Next() {
		var day int64
		var asset, service, text sql.RawBytes // used before the next row
		if err := rows.Scan(&day, &asset, &service, &text); err != nil {
			return err
		}
		r.key = append(append(append(r.key[:0], asset...), 0), service...)
		sc := r.byName[string(r.key)]
		if sc == nil {
			sc = &subjectChanges{asset: string(asset), service: string(service)}
			r.byName[string(r.key)] = sc
			r.out = append(r.out, sc)
		}
		r.scratch = parseDay(r.scratch[:0], day, text)
		for _, c := range r.scratch {
			if c.at >= r.from && c.at < r.to {
				sc.changes = append(sc.changes, c)
			}
		}
	}
	return rows.Err()
}

// sorted is what was read, each subject's changes by time.
func (r *subjectReader) sorted() []*subjectChanges {
	for _, sc := range r.out {
		// Days come in order; within a day a late result's event may be
		// stamped before the one written ahead of it.
		slices.SortStableFunc(sc.changes, func(a, b dayEntry) int { return int(sign(a.at - b.at)) })
	}
	return r.out
}

func sign(d int64) int64 {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}

// subjectDayEvents answers Events for the hard state changes of assets and
// services, brief, from subject_days: the newest limit, oldest first (by
// time, then subject, then as written; the index's order differs only
// between subjects at the same instant, which no timeline sees). Rows come
// day by day, and a change is in the row of its own day, so sorting each
// day's changes sorts them all.
func (s *Store) subjectDayEvents(ctx context.Context, since, until time.Time, limit int) ([]model.Event, error) {
	from, to := int64(0), int64(1)<<62
	if !since.IsZero() {
		from = since.UnixNano()
	}
	if !until.IsZero() {
		to = until.UnixNano()
	}
	rows, err := s.r.QueryContext(ctx, "SELECT day, asset, service, changes FROM subject_days WHERE day >= ? AND day <= ? ORDER BY day",
		from/dayNanos, to/dayNanos)
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	type change struct {
		dayEntry
		subject, pos int32
	}
	var (
		subjects []*subjectChanges // names only
		byName   = map[string]int32{}
		key      []byte
		scratch  []dayEntry
		all      []change
		dayFrom  int
		curDay   = int64(-1)
	)
	sortDay := func() {
		slices.SortFunc(all[dayFrom:], func(a, b change) int {
			switch {
			case a.at != b.at:
				return int(sign(a.at - b.at))
			case a.subject != b.subject:
				return int(a.subject - b.subject)
			}
			return int(a.pos - b.pos)
		})
		dayFrom = len(all)
	}
	for rows.Next() {
		var day int64
		var asset, service, text sql.RawBytes // used before the next row
		if err := rows.Scan(&day, &asset, &service, &text); err != nil {
			return nil, classify(s.path, err)
		}
		if day != curDay {
			sortDay()
			curDay = day
		}
		key = append(append(append(key[:0], asset...), 0), service...)
		si, ok := byName[string(key)]
		if !ok {
			si = int32(len(subjects))
			byName[string(key)] = si
			subjects = append(subjects, &subjectChanges{asset: string(asset), service: string(service)})
		}
		scratch = parseDay(scratch[:0], day, text)
		for _, c := range scratch {
			if c.hard && c.at >= from && c.at < to {
				// pos: rows come in key order, a day's parts in turn.
				all = append(all, change{c, si, int32(len(all))})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, classify(s.path, err)
	}
	sortDay()
	if len(all) > limit {
		all = all[len(all)-limit:]
	}
	if len(all) == 0 {
		return nil, nil
	}
	out := make([]model.Event, len(all))
	for i, c := range all {
		sc := subjects[c.subject]
		out[i] = model.Event{At: time.Unix(0, c.at), Kind: model.EventState, Asset: sc.asset, Service: sc.service,
			From: c.from, To: c.to, Hard: true, FromHard: c.fromHard}
	}
	return out, nil
}
