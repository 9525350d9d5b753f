package estate

import (
	"time"

	"noctop/model"
)

// ViewRow is the name of the row MarkStale puts first in the functional
// pane.
const ViewRow = "estate view"

// MarkStale is the last good snapshot s while Prometheus does not answer:
// its states as they were, each asset's reason saying as of when, a first
// row "estate view" UNKNOWN with the error, counted as one unknown so the
// banner never reads all OK over a view that cannot see. s is not
// modified.
func MarkStale(s *model.Snapshot, since time.Time, err error) *model.Snapshot {
	out := *s
	when := since.In(s.At.Location()).Format("15:04:05")
	asOf := "as of " + s.At.Format("15:04:05")
	out.Assets = make([]*model.AssetState, len(s.Assets))
	for i, a := range s.Assets {
		c := *a
		if c.Reason == "" {
			c.Reason = asOf
		} else {
			c.Reason = asOf + ": " + c.Reason
		}
		out.Assets[i] = &c
	}
	reason := "Prometheus unreachable since " + when
	if err != nil {
		reason += ": " + model.Clip(err.Error(), model.MaxNetText)
	}
	row := &model.ServiceState{Name: ViewRow, Rule: "view", Status: model.StatusUnknown, Reason: reason,
		Description: "the view shows the estate " + asOf}
	out.Services = append([]*model.ServiceState{row}, s.Services...)
	out.Tally.Unknown++
	return &out
}
