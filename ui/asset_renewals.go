package ui

import (
	"math"
	"time"

	"noctop/model"
)

var assetRenewalColumns = []column{
	{title: "STATUS", w: 10},
	{title: "DAYS", w: 6, right: true},
	{title: "DATE", w: 10},
	{title: "WHAT", fit: true, min: 8, max: 48},
	{title: "ISSUER / OWNER", flex: true, min: 8, drop: 2},
	{title: "SEEN BY", w: 12, drop: 1},
}

// renewalLines is the asset screen's register: each lifecycle date and
// certificate with its status, days left and date.
func renewalLines(s *styles, items []model.Renewal, w int) []string {
	whatW := 0
	for i := range items {
		whatW = max(whatW, width(renewalWhat(&items[i])))
	}
	t := newTable(assetRenewalColumns, w, 0, 0, 0, whatW)
	out := []string{t.header(s)}
	for i := range items {
		r := &items[i]
		detail, by := clean(r.Owner), ""
		switch {
		case r.Cert != nil:
			detail, by = "issuer "+clean(r.Cert.Issuer), clean(r.Check)
		case r.Kind == model.RenewalConsumable:
			detail, by = "level "+model.FormatValue(math.Round(r.Level), "%")+" · "+detail, clean(r.Check)
		}
		out = append(out, t.line([]string{statusCell(s, r.Status, ""), itoa(r.Days), r.Date.Format(time.DateOnly),
			renewalWhat(r), s.muted.paint(detail), s.muted.paint(by)}))
	}
	return out
}

// renewalWhat names the item: "warranty", "licence CMS", "certificate
// CN=portal".
func renewalWhat(r *model.Renewal) string { return clean(r.Label) }
