package model

import (
	"errors"
	"strconv"
	"time"
)

// ErrUnknownTarget is a [[maintenance]] selector that names no asset,
// service or tag of the config.
var ErrUnknownTarget = errors.New("unknown maintenance target")

// maintenanceCheck is what the validator keeps for [[maintenance]] while
// the assets stream past: the tags the windows select and which of them
// some asset carries.
type maintenanceCheck struct {
	tags map[string]bool // selected tag -> seen on an asset
}

// maintenance validates the windows' own keys (pass 1, before the assets).
func (v *validator) maintenance() {
	names := map[string]int{}
	for i := range v.cfg.Maintenance {
		w := &v.cfg.Maintenance[i]
		base := "maintenance." + strconv.Itoa(i)
		label := w.Label(i)
		if w.Name != "" {
			if first, dup := names[w.Name]; dup {
				v.errf(base+".name", ErrDuplicateName, "duplicate maintenance name %q (first at line %d)", w.Name, v.errs.line(first))
			} else {
				names[w.Name] = v.ix.at(base + ".name")
			}
		}
		if len(w.Assets)+len(w.Tags)+len(w.Services) == 0 {
			v.errf(base, ErrMissing, "maintenance %q: no assets, tags or services: the window covers nothing", label)
		}
		for _, tag := range w.Tags {
			if v.maint.tags == nil {
				v.maint.tags = map[string]bool{}
			}
			v.maint.tags[tag] = false
		}
		loc, err := windowZone(w.Timezone)
		if err != nil {
			v.errf(base+".timezone", ErrInvalid, "maintenance %q: %s", label, trimSentinel(err, ErrInvalid))
		}
		oneOff := w.From != nil || w.To != nil
		switch {
		case oneOff && w.Every != "":
			v.errf(base+".every", ErrInvalid, "maintenance %q: give from and to (once) or every and duration (recurring), not both", label)
		case w.Every != "":
			v.recurringWindow(w, base, label)
		case oneOff:
			v.oneOffWindow(w, base, label, loc)
		default:
			v.errf(base, ErrMissing, "maintenance %q: no from and to, and no every: say when the window is", label)
		}
	}
}

func (v *validator) recurringWindow(w *MaintenanceWindow, base, label string) {
	if _, _, err := parseEvery(w.Every); err != nil {
		v.errf(base+".every", ErrInvalid, "maintenance %q: %s", label, trimSentinel(err, ErrInvalid))
	}
	switch l := w.Duration.Duration; {
	case !v.ix.has(base + ".duration"):
		v.errf(base, ErrMissing, "maintenance %q: every needs a duration (e.g. \"2h\")", label)
	case w.Duration.Err() != nil || l <= 0: // reported where the value was read
	case l >= maxWindowLength:
		v.errf(base+".duration", ErrInvalid, "maintenance %q: duration %s: want less than a week (168h)", label, w.Duration.Raw())
	}
}

func (v *validator) oneOffWindow(w *MaintenanceWindow, base, label string, loc *time.Location) {
	if v.ix.has(base + ".duration") {
		v.errf(base+".duration", ErrInvalid, "maintenance %q: duration is for recurring windows (every); a one-off window ends at to", label)
	}
	if loc == nil {
		loc = time.UTC // the timezone's error is reported; still judge the times
	}
	from, okFrom := v.windowTime(w.From, base, "from", label, loc)
	to, okTo := v.windowTime(w.To, base, "to", label, loc)
	if okFrom && okTo && !to.After(from) {
		v.errf(base+".to", ErrInvalid, "maintenance %q: to %s is not after from %s", label, to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
}

func (v *validator) windowTime(x any, base, key, label string, loc *time.Location) (time.Time, bool) {
	path := base + "." + key
	if x == nil {
		v.errf(base, ErrMissing, "maintenance %q: no %s", label, key)
		return time.Time{}, false
	}
	t, err := windowTime(x, loc)
	if err != nil {
		v.errf(path, ErrWrongType, "%s: %v", key, err)
		return time.Time{}, false
	}
	return t, true
}

// maintenanceTags notes the selected tags an asset carries (pass 2).
func (v *validator) maintenanceTags(a *Asset) {
	if len(v.maint.tags) == 0 {
		return
	}
	for _, tag := range a.Tags {
		if _, ok := v.maint.tags[tag]; ok {
			v.maint.tags[tag] = true
		}
	}
}

// maintenanceNames checks every selector against the whole config.
func (v *validator) maintenanceNames() {
	if len(v.cfg.Maintenance) == 0 {
		return
	}
	assets := make(map[string]bool, len(v.refs))
	for _, r := range v.refs {
		assets[r.name] = true
	}
	services := make(map[string]bool, len(v.cfg.Services))
	for i := range v.cfg.Services {
		services[v.cfg.Services[i].Name] = true
	}
	for i := range v.cfg.Maintenance {
		w := &v.cfg.Maintenance[i]
		base := "maintenance." + strconv.Itoa(i)
		label := w.Label(i)
		for k, n := range w.Assets {
			path := base + ".assets." + strconv.Itoa(k)
			switch {
			case assets[n]:
			case services[n]:
				v.errf(path, ErrUnknownTarget, "maintenance %q: %q is a service, not an asset (list it in services)", label, n)
			default:
				v.errf(path, ErrUnknownTarget, "maintenance %q: asset %q is not in the config", label, n)
			}
		}
		for k, n := range w.Services {
			path := base + ".services." + strconv.Itoa(k)
			switch {
			case services[n]:
			case assets[n]:
				v.errf(path, ErrUnknownTarget, "maintenance %q: %q is an asset, not a service (list it in assets)", label, n)
			default:
				v.errf(path, ErrUnknownTarget, "maintenance %q: service %q is not in the config", label, n)
			}
		}
		for k, tag := range w.Tags {
			if !v.maint.tags[tag] {
				v.errf(base+".tags."+strconv.Itoa(k), ErrUnknownTarget, "maintenance %q: no asset has tag %q", label, tag)
			}
		}
	}
}

// trimSentinel drops the sentinel's words that an error's text starts
// with: the validator adds its own sentinel and says where.
func trimSentinel(err, sentinel error) string {
	s := err.Error()
	p := sentinel.Error() + ": "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
