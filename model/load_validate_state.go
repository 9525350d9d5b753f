package model

import (
	"path/filepath"
	"strings"
)

// stateDir checks state_dir and makes it absolute: a relative one is
// relative to the config file, so the database does not move with the
// directory noctop is started from.
func (v *validator) stateDir() {
	d := v.cfg.StateDir
	if !v.ix.has("state_dir") {
		return
	}
	switch {
	case d == "":
		v.errf("state_dir", ErrInvalid, `state_dir: empty; remove it for the default ($XDG_STATE_HOME/noctop), or name a directory`)
		return
	case strings.HasPrefix(d, "~"):
		v.errf("state_dir", ErrInvalid, "state_dir %q: ~ is not expanded; write the full path", d)
		return
	case strings.ContainsRune(d, 0):
		v.errf("state_dir", ErrInvalid, "state_dir: contains a NUL byte")
		return
	}
	if !filepath.IsAbs(d) {
		d = filepath.Join(filepath.Dir(v.file), d)
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
	}
	v.cfg.StateDir = filepath.Clean(d)
}
