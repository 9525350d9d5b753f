package estate

import "noctop/model"

// MaxEvents bounds the view's event list, as the engine bounds its own.
const MaxEvents = 500

// Changes appends to events what changed between two views of the
// estate: each asset and service whose status moved, as the engine's
// state events word it, numbered from seq on; it keeps the newest
// MaxEvents and returns them with the next seq. The first view (prev
// nil) is the starting point, not a change. Published snapshots share
// events: appends only write past the end of every slice handed out.
func Changes(prev, next *model.Snapshot, events []model.Event, seq uint64) ([]model.Event, uint64) {
	if prev == nil {
		return events, seq
	}
	before := make(map[string]*model.AssetState, len(prev.Assets))
	for _, a := range prev.Assets {
		before[a.Name] = a
	}
	for _, a := range next.Assets {
		p := before[a.Name]
		if p == nil || p.Status == a.Status {
			continue
		}
		seq++
		events = append(events, model.Event{Seq: seq, At: next.At, Kind: model.EventState, Asset: a.Name,
			From: p.Status, FromHard: p.Hard, To: a.Status, Hard: a.Hard, Summary: a.Reason})
	}
	services := make(map[string]*model.ServiceState, len(prev.Services))
	for _, sv := range prev.Services {
		services[sv.Name] = sv
	}
	for _, sv := range next.Services {
		p := services[sv.Name]
		if p == nil || p.Status == sv.Status {
			continue
		}
		seq++
		events = append(events, model.Event{Seq: seq, At: next.At, Kind: model.EventState, Service: sv.Name,
			From: p.Status, FromHard: true, To: sv.Status, Hard: true, Summary: sv.Reason})
	}
	if n := len(events); n > MaxEvents {
		events = events[n-MaxEvents:]
	}
	return events, seq
}
