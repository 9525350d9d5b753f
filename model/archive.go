package model

import (
	"context"
	"time"
)

// Archive is read access to what the store keeps on disk, for front ends:
// the TUI's events screen and charts, `noctop events` and `noctop sla`. The
// store implements it; model and ui only name it (imports point one way).
// Front ends call it from commands, never while drawing.
type Archive interface {
	// Events returns the events q selects, oldest first.
	Events(ctx context.Context, q EventQuery) ([]Event, error)
	// Series returns a metric of one check between from and to, oldest
	// first, at the finest resolution kept for that span (raw results, then
	// 1-minute, then 1-hour rollups), at most about 1,500 points.
	Series(ctx context.Context, key CheckKey, metric string, from, to time.Time) ([]Point, error)
}

// EventQuery selects events. The zero value selects the newest Limit
// events of every kind.
type EventQuery struct {
	// Since and Until bound the time (Since inclusive, Until exclusive);
	// zero is unbounded. Paging back in time: Until = the oldest At seen.
	Since, Until time.Time
	// Asset keeps the events of one asset (its checks' too); "" keeps all.
	Asset string
	// Service keeps the events of one service; "" keeps all.
	Service string
	// Kinds keeps these kinds (EventState, EventTrap, ...); nil keeps all.
	Kinds []string
	// HardOnly keeps hard state changes and events without a soft state.
	HardOnly bool
	// Subjects keeps the events of assets and services themselves (Check
	// ""), dropping their checks' own: with HardOnly and Kinds
	// [EventState], the hard state changes availability is measured from
	// (Event.SLASubject), which the store reads from an index of their own.
	Subjects bool
	// Brief fills only what availability needs: At, Kind, Asset, Check,
	// Service, From, To, Hard and FromHard; Seq, the attempt counters and
	// Summary stay zero. Reading 30 days of 1,000 assets' changes is then
	// a fraction of the full rows' cost.
	Brief bool
	// Limit bounds the answer to the newest Limit events in range; 0 means
	// DefaultEventLimit.
	Limit int
}

// DefaultEventLimit is EventQuery.Limit's zero value.
const DefaultEventLimit = 500

// Point is one point of a metric's series: a raw result (Count 1, Min =
// Avg = Max) or a rollup bucket starting at At.
type Point struct {
	At            time.Time
	Min, Avg, Max float64
	Count         int
}
