package estate

import (
	"noctop/model"
)

// checkKey is a check (or, with check "", an asset) as its poller names
// it.
type checkKey struct {
	key
	check string
}

// annotations index a refresh's firing alerts and active silences by
// what they are about.
type annotations struct {
	alerts map[key]*Alert
	acks   map[checkKey]*model.Ack
}

// newAnnotations keeps the firing noctop alerts (one per asset, as the
// alertmanager notifier sends them) and the active silences made of
// plain matchers on asset, with site and check if any (the view's acks,
// and amtool's made the same way).
func newAnnotations(alerts []Alert, silences []Silence) *annotations {
	n := &annotations{alerts: map[key]*Alert{}, acks: map[checkKey]*model.Ack{}}
	for i := range alerts {
		al := &alerts[i]
		name := al.Labels["asset"]
		if name == "" || al.Labels["alertname"] != "noctop" {
			continue
		}
		switch al.Status.State {
		case "active", "suppressed":
			n.alerts[key{al.Labels["site"], name}] = al
		}
	}
	for _, s := range silences {
		if s.Status.State != "active" {
			continue
		}
		if k, ok := ackKey(s.Matchers); ok {
			n.acks[k] = &model.Ack{
				By:      model.Clip(s.CreatedBy, model.MaxNetText),
				Comment: model.Clip(s.Comment, model.MaxNetText),
				At:      s.StartsAt, Sticky: true,
			}
		}
	}
	return n
}

// ackKey reads a silence as an ack: plain matchers, asset among them,
// nothing but alertname, site and check besides.
func ackKey(ms []Matcher) (checkKey, bool) {
	var k checkKey
	for _, m := range ms {
		if !m.equal() {
			return k, false
		}
		switch m.Name {
		case "asset":
			k.Name = m.Value
		case "site":
			k.Site = m.Value
		case "check":
			k.check = m.Value
		case "alertname":
		default:
			return k, false
		}
	}
	return k, k.Name != ""
}

func (n *annotations) alert(k key) *Alert { return n.alerts[k] }

// checkAlert is the asset's alert when it is about check c.
func (n *annotations) checkAlert(k key, c string) *Alert {
	if al := n.alerts[k]; al != nil && al.Labels["check"] == c {
		return al
	}
	return nil
}

func (n *annotations) ack(k key, check string) *model.Ack { return n.acks[checkKey{k, check}] }

// reasonOf is what an alert says of its asset: the notifier's reason,
// else its summary, clipped.
func reasonOf(al *Alert) string {
	r := al.Annotations["reason"]
	if r == "" {
		r = al.Annotations["summary"]
	}
	return model.Clip(r, model.MaxNetText)
}
