package lab

import (
	"fmt"
	"net/http"
	"strings"
)

// Versions and links (change correlation): every application answers
// with its version in an X-App-Version header and /version; /link/{peer}
// is the application's call to a peer's API, which works only while the
// peer runs the API (major.minor) it had when the lab started.
const (
	// VersionHeader carries an application's version on every response.
	VersionHeader = "X-App-Version"
	// CRMVersion is the CRM's version at start; the demo upgrades it to
	// CRMUpgrade, whose API ERP's link to it does not speak.
	CRMVersion = "4.2.0"
	CRMUpgrade = "4.3.0"
)

// SetAppVersion sets the version application name reports (a deployment
// or a rollback); its peers' /link/name calls fail while its API differs
// from the one it started with.
func (l *Lab) SetAppVersion(name, v string) error {
	a := l.apps[name]
	if a == nil {
		return fmt.Errorf("lab: no application %q (known: %v)", name, l.Apps())
	}
	a.version.Store(&v)
	return nil
}

// AppVersion is the version application name reports now: its own, or
// the lab's (SetVersion) when it has none.
func (l *Lab) AppVersion(name string) string {
	if a := l.apps[name]; a != nil {
		if v := a.version.Load(); v != nil {
			return *v
		}
	}
	return l.Version()
}

// link answers /link/{peer}: 200 while the peer speaks the API it started
// with, 502 "incompatible CRM API 4.3" once it does not.
func (l *Lab) link(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("peer")
	peer := l.apps[name]
	if peer == nil {
		http.Error(w, "no such peer", http.StatusNotFound)
		return
	}
	api := apiOf(l.AppVersion(name))
	if api != peer.api {
		http.Error(w, fmt.Sprintf("incompatible %s API %s", strings.ToUpper(name), api), http.StatusBadGateway)
		return
	}
	fmt.Fprintf(w, "ok: %s API %s\n", name, api)
}

// apiOf is a version's API: its major.minor ("4.3.0" -> "4.3").
func apiOf(v string) string {
	if i := strings.IndexByte(v, '.'); i >= 0 {
		if j := strings.IndexByte(v[i+1:], '.'); j >= 0 {
			return v[:i+1+j]
		}
	}
	return v
}
