package model

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// zeroDurationAllowed reports a duration key where 0 means "never"
// (renotify) rather than a mistake.
func (l *loader) zeroDurationAllowed() bool {
	return len(l.path) == 3 && l.path[0].canon == "notify" && l.path[2].canon == "renotify"
}

// notifiers validates every [[notify]] receiver on raw values, before
// defaults. A host name that does not resolve is not an error here: the
// network may change, so sending reports it (an event per attempt).
func (v *validator) notifiers() {
	seen := map[string]bool{}
	for i := range v.cfg.Notify {
		n := &v.cfg.Notify[i]
		base := "notify." + strconv.Itoa(i)
		switch {
		case !v.ix.has(base + ".name"):
			v.errf(base+".name", ErrMissing, "[[notify]] has no name")
		case strings.TrimSpace(n.Name) == "":
			v.errf(base+".name", ErrInvalid, "name: must not be empty")
		case seen[n.Name]:
			v.errf(base+".name", ErrDuplicateName, "notify %q: another [[notify]] has this name", n.Name)
		}
		seen[n.Name] = true
		v.notifier(n, base)
	}
}

// notifyAllKeys is every key a receiver may have, of any type.
func notifyAllKeys() []string {
	return append(NotifyKeys(NotifyAlertmanager), "command")
}

func (v *validator) notifier(n *Notify, base string) {
	keys := NotifyKeys(n.Type)
	switch {
	case !v.ix.has(base + ".type"):
		v.errf(base+".type", ErrMissing, "notify %q has no type (want one of %s)", n.Name, strings.Join(NotifyTypes(), ", "))
		return
	case keys == nil:
		v.errf(base+".type", ErrInvalid, "type %q: want one of %s", n.Type, strings.Join(NotifyTypes(), ", "))
		return
	}
	for _, k := range notifyAllKeys() {
		if v.ix.has(base+"."+k) && !slices.Contains(keys, k) {
			v.keyErrf(base+"."+k, ErrNotForType, "%s: not a key of a %s receiver (its keys: %s)", k, n.Type, strings.Join(keys, ", "))
		}
	}
	switch n.Type {
	case NotifyWebhook, NotifyAlertmanager:
		switch hasURL, hasURLs := v.ix.has(base+".url"), n.Type == NotifyAlertmanager && v.ix.has(base+".urls"); {
		case hasURL && hasURLs:
			v.errf(base+".urls", ErrInvalid, "urls: give url (one Alertmanager) or urls (a cluster), not both")
		case hasURLs:
			v.notifyURLs(n, base)
		case !hasURL && n.Type == NotifyAlertmanager:
			v.errf(base+".url", ErrMissing, "notify %q (%s) has no url (or urls = [...] for a cluster)", n.Name, n.Type)
		case !hasURL:
			v.errf(base+".url", ErrMissing, "notify %q (%s) has no url", n.Name, n.Type)
		default:
			if msg := checkNotifyURL(n.URL); msg != "" {
				v.errf(base+".url", ErrInvalid, "url %q: %s", n.URL, msg)
			}
		}
		for name := range n.Headers {
			if !ValidHeaderName(name) {
				v.errf(base+".headers."+name, ErrInvalid, "headers: %q is not a valid header name", name)
			}
		}
	case NotifyExec:
		switch {
		case !v.ix.has(base + ".command"):
			v.errf(base+".command", ErrMissing, `notify %q (exec) has no command (a list: the program, then its arguments, e.g. ["/usr/local/bin/page", "--team", "noc"])`, n.Name)
		case len(n.Command) == 0 || n.Command[0] == "":
			v.errf(base+".command", ErrInvalid, "command: the first element must name the program")
		}
	}
	for k, layer := range n.Layers {
		if layer != LayerTechnical && layer != LayerApplication {
			v.errf(base+".layers."+strconv.Itoa(k), ErrInvalid, "layers: %q: want %s or %s", layer, LayerTechnical, LayerApplication)
		}
	}
	if v.ix.has(base + ".min_status") {
		st, err := ParseStatus(n.MinStatus)
		if err != nil || !st.IsProblem() {
			v.errf(base+".min_status", ErrInvalid, "min_status %q: want WARNING, CRITICAL or UNKNOWN", n.MinStatus)
		} else {
			n.MinStatus = st.String()
		}
	}
	if v.ix.has(base+".retries") && n.Retries > MaxNotifyRetries {
		v.errf(base+".retries", ErrInvalid, "retries: want 1 to %d, got %d", MaxNotifyRetries, n.Retries)
	}
}

// notifyURLs checks an alertmanager receiver's urls: at least one, each
// valid, none twice (the same Alertmanager would get every alert twice).
func (v *validator) notifyURLs(n *Notify, base string) {
	if len(n.URLs) == 0 {
		v.errf(base+".urls", ErrInvalid, "urls: empty: list the Alertmanagers of the cluster")
		return
	}
	seen := make(map[string]bool, len(n.URLs))
	for k, u := range n.URLs {
		at := base + ".urls." + strconv.Itoa(k)
		key := strings.TrimRight(u, "/")
		switch msg := checkNotifyURL(u); {
		case msg != "":
			v.errf(at, ErrInvalid, "urls: %q: %s", u, msg)
		case seen[key]:
			v.errf(at, ErrInvalid, "urls: %q is listed twice: each Alertmanager gets every alert once", u)
		}
		seen[key] = true
	}
}

// checkNotifyURL returns what is wrong with a receiver's URL, or "".
func checkNotifyURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "want http:// or https://"
	case u.Host == "":
		return "no host"
	}
	return ""
}
