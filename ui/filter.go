package ui

import (
	"fmt"
	"strings"

	"noctop/model"
)

// filter is a parsed filter expression. Terms of one kind are alternatives
// (status:crit status:warn), kinds are combined (status:crit tag:site:hq
// web matches critical assets tagged site:hq whose text contains "web").
type filter struct {
	text     string // as typed
	statuses []model.Status
	tags     []string // lower case; a tag matches exactly or as a prefix up to ':'
	layers   []string // lower-case prefixes of layer names
	words    []string // lower case; each must occur in name, kind, address or tags
	err      string   // what was wrong with a term; the rest still applies
}

// parseFilter reads a filter expression. Unknown statuses are reported in
// err and ignored, so a half-typed term never hides everything.
func parseFilter(text string) filter {
	f := filter{text: text}
	for _, term := range strings.Fields(text) {
		key, val, ok := strings.Cut(term, ":")
		switch k := strings.ToLower(key); {
		case ok && k == "status" && val != "":
			status, err := model.ParseStatus(val)
			if err != nil {
				f.err = err.Error()
				continue
			}
			f.statuses = append(f.statuses, status)
		case ok && k == "tag" && val != "":
			f.tags = append(f.tags, strings.ToLower(val))
		case ok && k == "layer" && val != "":
			f.layers = append(f.layers, strings.ToLower(val))
		case ok && (k == "status" || k == "tag" || k == "layer"):
			// "status:" while typing: nothing yet
		default:
			f.words = append(f.words, strings.ToLower(term))
		}
	}
	return f
}

// active reports whether the filter restricts anything.
func (f filter) active() bool {
	return len(f.statuses)+len(f.tags)+len(f.layers)+len(f.words) > 0
}

// String describes the filter for the status line.
func (f filter) String() string {
	if f.err != "" {
		return fmt.Sprintf("%s (%s)", f.text, f.err)
	}
	return f.text
}

// matchAsset reports whether an asset row passes the filter.
func (f filter) matchAsset(r *assetRow) bool {
	a := r.a
	if len(f.statuses) > 0 && !hasStatus(f.statuses, a.Status) {
		return false
	}
	if len(f.layers) > 0 {
		ok := false
		for _, l := range f.layers {
			if strings.HasPrefix(strings.ToLower(a.Layer), l) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.tags) > 0 && !hasTag(f.tags, a.Tags) {
		return false
	}
	for _, w := range f.words {
		if !strings.Contains(r.search, w) {
			return false
		}
	}
	return true
}

// matchService reports whether a service passes: layer and tag terms do
// not apply to services; words match the name, rule and description.
func (f filter) matchService(v *model.ServiceState) bool {
	if len(f.statuses) > 0 && !hasStatus(f.statuses, v.Status) {
		return false
	}
	if len(f.tags) > 0 || (len(f.layers) > 0 && !layerIs(f.layers, "functional")) {
		return false
	}
	text := strings.ToLower(v.Name + " " + v.Rule + " " + v.Description)
	for _, w := range f.words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

func layerIs(prefixes []string, layer string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(layer, p) {
			return true
		}
	}
	return false
}

func hasStatus(list []model.Status, s model.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// input is a one-line text editor for the filter: runes append, Backspace
// deletes, Ctrl-U clears. It has no cursor blink, so it redraws only when
// typed into.
type input struct {
	value string
}

func (line *input) backspace() {
	if line.value == "" {
		return
	}
	r := []rune(line.value)
	line.value = string(r[:len(r)-1])
}

// matchEvent reports whether an event passes: status terms match the
// status it changed to; layer and tag terms its asset's (an event of an
// asset no longer configured passes neither); words match its asset,
// check, service, kind, transition and summary, given lower case in
// search.
func (f filter) matchEvent(ev *model.Event, search string, asset *model.AssetState) bool {
	if len(f.statuses) > 0 && !hasStatus(f.statuses, ev.To) {
		return false
	}
	if len(f.layers)+len(f.tags) > 0 {
		if asset == nil || (len(f.layers) > 0 && !layerIs(f.layers, strings.ToLower(asset.Layer))) {
			return false
		}
		if len(f.tags) > 0 && !hasTag(f.tags, asset.Tags) {
			return false
		}
	}
	for _, w := range f.words {
		if !strings.Contains(search, w) {
			return false
		}
	}
	return true
}

// eventSearch is what filter words look in for an event, lower case.
func eventSearch(ev *model.Event) string {
	return strings.ToLower(ev.Asset + " " + ev.Check + " " + ev.Service + " " + ev.Kind + " " + ev.Transition() + " " + ev.Summary)
}

// hasTag reports whether one of tags matches a wanted tag exactly or as a
// prefix up to ':'.
func hasTag(want, tags []string) bool {
	for _, w := range want {
		for _, t := range tags {
			t = strings.ToLower(t)
			if t == w || strings.HasPrefix(t, w+":") {
				return true
			}
		}
	}
	return false
}
