package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

// maxPoints bounds a Series answer, as model.Archive says.
const maxPoints = 1500

// subjectStates selects the hard state changes of assets and services
// themselves: the WHERE of the index events_subject_state (migration3),
// word for word, since SQLite uses a partial index only for a query whose
// WHERE holds its terms (literals, not parameters).
const subjectStates = "kind = 'state' AND hard = 1 AND check_name = ''"

// Events returns the events q selects, oldest first (model.Archive).
func (s *Store) Events(ctx context.Context, q model.EventQuery) ([]model.Event, error) {
	var where []string
	var args []any
	if !q.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		where, args = append(where, "at < ?"), append(args, q.Until.UnixNano())
	}
	if q.Asset != "" {
		where, args = append(where, "asset = ?"), append(args, q.Asset)
	}
	if q.Service != "" {
		where, args = append(where, "service = ?"), append(args, q.Service)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = model.DefaultEventLimit
	}
	// Newest first to apply the limit; at then id orders events written
	// by runs whose numbering differed.
	const order = "at DESC, id DESC"
	if q.Subjects && q.HardOnly && slices.Equal(q.Kinds, []string{model.EventState}) {
		if q.Brief && q.Asset == "" && q.Service == "" {
			return s.subjectDayEvents(ctx, q.Since, q.Until, limit)
		}
		where = append(where, subjectStates)
		if q.Brief {
			return s.queryEvents(ctx, subjectCols, strings.Join(where, " AND "), args, order, limit)
		}
		return s.queryEvents(ctx, fullCols, strings.Join(where, " AND "), args, order, limit)
	}
	if len(q.Kinds) > 0 {
		marks := strings.Repeat("?, ", len(q.Kinds))
		where = append(where, "kind IN ("+marks[:len(marks)-2]+")")
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if q.HardOnly {
		where, args = append(where, "(kind <> ? OR hard = 1)"), append(args, model.EventState)
	}
	if q.Subjects {
		where = append(where, "check_name = ''")
	}
	cols := fullCols
	if q.Brief {
		cols = briefCols
	}
	return s.queryEvents(ctx, cols, strings.Join(where, " AND "), args, order, limit)
}

// eventCols says which columns a query reads and how a row fills an event.
type eventCols int

const (
	fullCols    eventCols = iota // every field
	briefCols                    // what EventQuery.Brief promises
	subjectCols                  // Brief for subjectStates: only its index's columns (the WHERE fixed kind, hard and check name)
)

func (c eventCols) names() string {
	switch c {
	case briefCols:
		return "at, kind, asset, check_name, service, from_status, to_status, hard, from_hard"
	case subjectCols:
		return "at, asset, service, from_status, to_status, from_hard"
	}
	return `seq, at, kind, asset, check_name, service, from_status, to_status, hard, from_hard,
		from_attempt, attempt, max_attempts, summary`
}

func (c eventCols) scan(rows *sql.Rows, ev *model.Event) error {
	var seq, at int64
	var from, to int
	var err error
	switch c {
	case briefCols:
		err = rows.Scan(&at, &ev.Kind, &ev.Asset, &ev.Check, &ev.Service, &from, &to, &ev.Hard, &ev.FromHard)
	case subjectCols:
		err = rows.Scan(&at, &ev.Asset, &ev.Service, &from, &to, &ev.FromHard)
		ev.Kind, ev.Hard = model.EventState, true
	default:
		err = rows.Scan(&seq, &at, &ev.Kind, &ev.Asset, &ev.Check, &ev.Service, &from, &to, &ev.Hard, &ev.FromHard,
			&ev.FromAttempt, &ev.Attempt, &ev.MaxAttempts, &ev.Summary)
	}
	ev.Seq, ev.At, ev.From, ev.To = uint64(seq), time.Unix(0, at), model.Status(from), model.Status(to)
	return err
}

// queryEvents returns the newest limit events matching where (args its
// parameters) in order (a descending ORDER BY), oldest first.
func (s *Store) queryEvents(ctx context.Context, cols eventCols, where string, args []any, order string, limit int) ([]model.Event, error) {
	query := "SELECT " + cols.names() + " FROM events"
	if where != "" {
		query += " WHERE " + where
	}
	query += " ORDER BY " + order + " LIMIT ?"
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	// Rows come newest first into chunks, copied once into the answer
	// oldest first: a growing slice of 180,000 events (what noctop sla
	// reads at 30 days of a heavy history) spent a third of the read on
	// copying and clearing as it grew.
	var chunks [][]model.Event
	n := 0
	for rows.Next() {
		if len(chunks) == 0 || len(chunks[len(chunks)-1]) == cap(chunks[len(chunks)-1]) {
			chunks = append(chunks, make([]model.Event, 0, min(max(n, 64), 8192)))
		}
		c := &chunks[len(chunks)-1]
		*c = (*c)[:len(*c)+1]
		if err := cols.scan(rows, &(*c)[len(*c)-1]); err != nil {
			return nil, classify(s.path, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, classify(s.path, err)
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]model.Event, 0, n)
	for i := len(chunks) - 1; i >= 0; i-- {
		for j := len(chunks[i]) - 1; j >= 0; j-- {
			out = append(out, chunks[i][j])
		}
	}
	return out, nil
}

// Series returns a metric of one check between from and to, oldest first,
// from the finest table that still covers from: raw results (48 h), then
// minutes (30 days), then hours; merged into wider buckets past maxPoints
// (model.Archive).
func (s *Store) Series(ctx context.Context, key model.CheckKey, metric string, from, to time.Time) ([]model.Point, error) {
	var id int64
	var namesJSON string
	err := s.r.QueryRowContext(ctx, "SELECT id, names FROM check_state WHERE asset = ? AND name = ?", key.Asset, key.Check).Scan(&id, &namesJSON)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, classify(s.path, err)
	}
	var names []string
	_ = json.Unmarshal([]byte(namesJSON), &names)
	col := slices.Index(names, metric)
	if col < 0 || !to.After(from) {
		return nil, nil
	}
	now := s.opts.Now()
	var pts []model.Point
	var step time.Duration
	switch {
	case !from.Before(now.Add(-RawRetention)):
		pts, err = s.rawSeries(ctx, id, col, from, to)
	case !from.Before(now.Add(-MinuteRetention)):
		pts, err = s.rollupSeries(ctx, "rollup_1m", id, col, from, to)
		step = time.Minute
	default:
		pts, err = s.rollupSeries(ctx, "rollup_1h", id, col, from, to)
		step = time.Hour
	}
	if err != nil {
		return nil, classify(s.path, err)
	}
	return downsample(pts, from, to, step), nil
}

func (s *Store) rawSeries(ctx context.Context, id int64, col int, from, to time.Time) ([]model.Point, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT at, vals FROM results WHERE check_id = ? AND at >= ? AND at < ? ORDER BY at", id, from.UnixNano(), to.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Point
	for rows.Next() {
		var at int64
		var vals []byte
		if err := rows.Scan(&at, &vals); err != nil {
			return nil, err
		}
		if v, ok := value(vals, col); ok {
			out = append(out, model.Point{At: time.Unix(0, at), Min: v, Avg: v, Max: v, Count: 1})
		}
	}
	return out, rows.Err()
}

func (s *Store) rollupSeries(ctx context.Context, table string, id int64, col int, from, to time.Time) ([]model.Point, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT bucket, vals FROM "+table+" WHERE check_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket", id, from.Unix(), to.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Point
	for rows.Next() {
		var bucket int64
		var vals []byte
		if err := rows.Scan(&bucket, &vals); err != nil {
			return nil, err
		}
		if st := statAt(vals, col); st.count > 0 {
			out = append(out, model.Point{At: time.Unix(bucket, 0), Min: float64(st.min), Avg: float64(st.avg), Max: float64(st.max), Count: int(st.count)})
		}
	}
	return out, rows.Err()
}

// downsample merges points into buckets of (to-from)/maxPoints (at least
// step) when there are more than maxPoints.
func downsample(pts []model.Point, from, to time.Time, step time.Duration) []model.Point {
	if len(pts) <= maxPoints {
		return pts
	}
	width := max(to.Sub(from)/maxPoints+1, step, 1)
	var out []model.Point
	for _, p := range pts {
		b := from.Add(p.At.Sub(from) / width * width)
		if n := len(out); n > 0 && out[n-1].At.Equal(b) {
			q := &out[n-1]
			total := q.Count + p.Count
			q.Avg = (q.Avg*float64(q.Count) + p.Avg*float64(p.Count)) / float64(total)
			q.Min, q.Max, q.Count = min(q.Min, p.Min), max(q.Max, p.Max), total
			continue
		}
		p.At = b
		out = append(out, p)
	}
	return out
}
