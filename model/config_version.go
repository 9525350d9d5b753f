package model

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// DefaultCorrelateWindow is how long after a change a check that goes bad
// is tied to it ([defaults] correlate_window).
const DefaultCorrelateWindow = 30 * time.Minute

// VersionCapture says where an http check reads the application's version
// (`version = { header = "X-App-Version" }`, `{ json = "build.version" }`
// or `{ regex = "v([0-9.]+)" }`): exactly one is set. The value becomes the
// check's AttrVersion, whose change is an EventChange.
//
// The key is `version`, which on snmp checks is the protocol version (a
// string): the loader decodes an inline table there into this field.
type VersionCapture struct {
	Header string `toml:"header"`
	JSON   string `toml:"json"`
	Regex  string `toml:"regex"`
}

// Check validates the capture; key names the offending sub-key ("" for the
// table itself). The loader and the probe's prepare step both call it.
func (v *VersionCapture) Check() (key string, err error) {
	if set := v.sources(); set != 1 {
		return "", fmt.Errorf("version: want exactly one of header, json or regex, got %d", set)
	}
	switch {
	case v.Header != "" && !ValidHeaderName(v.Header):
		return "header", fmt.Errorf("version.header: %q is not a valid header name", v.Header)
	case v.JSON != "":
		if _, err := JSONPath(v.JSON); err != nil {
			return "json", fmt.Errorf("version.json: %w", err)
		}
	case v.Regex != "":
		if _, err := VersionRegex(v.Regex); err != nil {
			return "regex", fmt.Errorf("version.regex: %w", err)
		}
	}
	return "", nil
}

// sources counts the sources set.
func (v *VersionCapture) sources() int {
	n := 0
	for _, s := range []string{v.Header, v.JSON, v.Regex} {
		if s != "" {
			n++
		}
	}
	return n
}

// versionRefused reports whether a key of the version table at path was
// refused where it is: unknown or of the wrong type (the loader said so),
// or empty (said here).
func (v *validator) versionRefused(path string, vc *VersionCapture) bool {
	id, ok := v.ix.lookup(path)
	if !ok {
		return false
	}
	refused := false
	for k := v.ix.nodes[id].first; k != 0; k = v.ix.nodes[k].next {
		name := v.ix.nodes[k].name
		val, known := map[string]string{"header": vc.Header, "json": vc.JSON, "regex": vc.Regex}[name]
		switch {
		case !known || v.skipped(path+"."+name):
			refused = true
		case val == "":
			v.errf(path+"."+name, ErrInvalid, "version.%s: must not be empty", name)
			refused = true
		}
	}
	return refused
}

// JSONPath splits a dotted path into a JSON body ("build.version"); a
// segment of digits also indexes an array ("releases.0.tag").
func JSONPath(path string) ([]string, error) {
	parts := strings.Split(path, ".")
	for _, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("path %q has an empty part (want names joined by dots, e.g. \"build.version\")", path)
		}
	}
	return parts, nil
}

// VersionRegex compiles a version regex, which must have a group: the
// version is the first group's match.
func VersionRegex(expr string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	if re.NumSubexp() < 1 {
		return nil, fmt.Errorf("%q has no group: the version is the first group's match, e.g. \"v([0-9.]+)\"", expr)
	}
	return re, nil
}

// versionCapture validates an http check's `version` table, and refuses a
// table on other checks or a string on an http check.
func (v *validator) versionCapture(c *Check, base string) {
	path := base + ".version"
	switch {
	case c.Type == CheckHTTP && c.Version != "":
		v.errf(path, ErrWrongType, "version: wrong type: got string, want a table on http checks, e.g. { header = \"X-App-Version\" }, { json = \"build.version\" } or { regex = \"v([0-9.]+)\" }")
	case c.Type == CheckHTTP && c.VersionCapture != nil:
		if v.versionRefused(path, c.VersionCapture) {
			return // reported where it is
		}
		if key, err := c.VersionCapture.Check(); err != nil {
			if key != "" {
				path += "." + key
			}
			v.errf(path, ErrInvalid, "%v", err)
		}
	case c.VersionCapture != nil && c.Type == CheckSNMP:
		v.errf(path, ErrWrongType, "version: wrong type: got table, want a string (the SNMP version: \"1\", \"2c\" or \"3\")")
	}
}
