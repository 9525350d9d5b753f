package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"noctop/model"
)

// Resume reads what the last run left: every saved check state with its
// latest model.StoredHistoryLen results (what the monitor's ring keeps), and the latest events. Call it
// before Run; on a new database it returns an empty Resume.
func (s *Store) Resume(ctx context.Context) (*model.Resume, error) {
	out := &model.Resume{Checks: make(map[model.CheckKey]model.ResumeCheck)}
	if s.waiting {
		return out, nil // the disk is full: nothing can be read
	}
	var last sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'last_write'").Scan(&last); err != nil && err != sql.ErrNoRows {
		return nil, classify(s.path, err)
	}
	out.At = fromNanos(last.Int64)
	// The events and the SLA history are read beside the states and
	// histories, on a connection of their own: a restart waits for both.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// The latest events in the order they were written (the
		// engine's), so the window's last is EventSeq.
		evs, err := s.queryEvents(gctx, fullCols, "", nil, "id DESC", model.DefaultEventLimit)
		if err != nil {
			return err
		}
		out.Events = evs
		if n := len(evs); n > 0 {
			out.EventSeq = evs[n-1].Seq
		}
		out.SLA, err = s.slaHistory(gctx)
		return err
	})
	g.Go(func() error {
		ids, err := s.resumeStates(gctx, out)
		if err != nil {
			return classify(s.path, err)
		}
		if err := s.resumeHistory(gctx, out, ids); err != nil {
			return classify(s.path, err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	acks, err := s.readAcks(ctx)
	if err != nil {
		return nil, err
	}
	out.Acks = acks
	windows, err := s.readWindows(ctx)
	if err != nil {
		return nil, err
	}
	out.AdHocWindows = windows
	return out, nil
}

// slaHistory is the hard-state history availability continues from: the
// state changes of the last 30 days, known from when the store began
// (as noctop sla reads them), of services only: the monitor measures
// services (assets' figures are noctop sla's), and an asset's timeline
// there would only be kept and trimmed. At 10,000 assets with an outage a
// day that is 600,000 changes not read at a restart.
func (s *Store) slaHistory(ctx context.Context) (*model.SLAHistory, error) {
	return s.subjectHistory(ctx, s.opts.Now().Add(-model.SLAMonth), time.Time{}, true)
}

// SLAHistory is the availability history of every asset and service from
// their state changes stored before until, soft ones included, known from
// when the store began (or its oldest change, if older): what
// model.NewSLAHistory makes of those events, which is the rule the monitor
// applies live, without holding the events. `noctop sla` reads it.
func (s *Store) SLAHistory(ctx context.Context, until time.Time) (*model.SLAHistory, error) {
	return s.subjectHistory(ctx, time.Time{}, until, false)
}

func (s *Store) subjectHistory(ctx context.Context, since, until time.Time, servicesOnly bool) (*model.SLAHistory, error) {
	began, err := s.Began(ctx)
	if err != nil {
		return nil, err
	}
	subjects, err := s.readSubjectDays(ctx, since, until, servicesOnly)
	if err != nil {
		return nil, err
	}
	for _, sc := range subjects {
		if len(sc.changes) > 0 && (began.IsZero() || sc.changes[0].at < began.UnixNano()) {
			began = time.Unix(0, sc.changes[0].at)
		}
	}
	// Subject by subject (a timeline reads only its own events), so the
	// events of a month (a million at 10,000 assets with an outage a day)
	// are never all held at once.
	h := &model.SLAHistory{Known: began, Timelines: make(map[string]*model.Timeline, len(subjects))}
	var evs []model.Event
	for _, sc := range subjects {
		evs = evs[:0]
		for i := range sc.changes {
			evs = append(evs, sc.event(i))
		}
		for name, tl := range model.Timelines(evs, began) {
			h.Timelines[name] = tl
		}
	}
	return h, nil
}

func (s *Store) resumeStates(ctx context.Context, out *model.Resume) (map[model.CheckKey]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, asset, name, type, status, hard_status, hard, attempt, summary,
		metrics, primary_metric, attrs, last_run, duration, since, names FROM check_state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[model.CheckKey]int64)
	for rows.Next() {
		var (
			id                         int64
			k                          model.CheckKey
			rc                         model.ResumeCheck
			status, hardStatus         int
			metrics, attrs, names      string
			lastRun, duration, sinceAt int64
		)
		if err := rows.Scan(&id, &k.Asset, &k.Check, &rc.Type, &status, &hardStatus, &rc.Hard, &rc.Attempt, &rc.Summary,
			&metrics, &rc.Primary, &attrs, &lastRun, &duration, &sinceAt, &names); err != nil {
			return nil, err
		}
		rc.Status, rc.HardStatus = model.Status(status), model.Status(hardStatus)
		_ = json.Unmarshal([]byte(metrics), &rc.Metrics)
		if attrs != "{}" {
			_ = json.Unmarshal([]byte(attrs), &rc.Attrs)
		}
		_ = json.Unmarshal([]byte(names), &rc.HistoryNames)
		rc.LastRun, rc.Duration, rc.Since = fromNanos(lastRun), time.Duration(duration), fromNanos(sinceAt)
		out.Checks[k] = rc
		ids[k] = id
		// The engine resumes this state: its row need not be written
		// again until more than its latest result changes (Run has
		// not started: the index is ours).
		if row := s.ix.checks[k]; row != nil && row.id == id {
			row.noteWritten(&model.CheckState{Type: rc.Type, Status: rc.Status, HardStatus: rc.HardStatus, Hard: rc.Hard,
				Attempt: rc.Attempt, Since: rc.Since, Primary: rc.Primary, Attrs: rc.Attrs}, s.opts.Now())
		}
	}
	return ids, rows.Err()
}

// resumeHistory reads each check's latest results, newest first through
// the primary key, one query per check, on resumeWorkers connections at
// once (a restart waits for it).
func (s *Store) resumeHistory(ctx context.Context, out *model.Resume, ids map[model.CheckKey]int64) error {
	keys := make([]model.CheckKey, 0, len(ids))
	for k := range ids {
		keys = append(keys, k)
	}
	hists := make([][]model.Sample, len(keys))
	g, ctx := errgroup.WithContext(ctx)
	for w := range resumeWorkers {
		g.Go(func() error {
			stmt, err := s.r.PrepareContext(ctx, "SELECT at, status, duration, vals FROM results WHERE check_id = ? ORDER BY at DESC LIMIT ?")
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := w; i < len(keys); i += resumeWorkers {
				if hists[i], err = readHistory(ctx, stmt, ids[keys[i]], len(out.Checks[keys[i]].HistoryNames)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, k := range keys {
		rc := out.Checks[k]
		rc.History = hists[i]
		out.Checks[k] = rc
	}
	return nil
}

// resumeWorkers is how many connections read histories at once.
const resumeWorkers = 4

// readHistory reads one check's latest results, oldest first, their values
// in one array.
func readHistory(ctx context.Context, stmt *sql.Stmt, id int64, width int) ([]model.Sample, error) {
	rows, err := stmt.QueryContext(ctx, id, model.StoredHistoryLen)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hist := make([]model.Sample, 0, model.StoredHistoryLen)
	slab := make([]float32, model.StoredHistoryLen*width)
	for rows.Next() {
		var at, dur int64
		var status int
		var vals sql.RawBytes // decoded before the next row: not copied
		if err := rows.Scan(&at, &status, &dur, &vals); err != nil {
			return nil, err
		}
		v := slab[:width:width]
		slab = slab[width:]
		for j := range v {
			f, _ := value(vals, j)
			v[j] = float32(f)
		}
		hist = append(hist, model.Sample{At: time.Unix(0, at), Status: model.Status(status), Duration: time.Duration(dur), Values: v})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(hist)
	return hist, nil
}
