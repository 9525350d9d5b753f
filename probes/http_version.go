package probes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"noctop/model"
)

// maxVersionText bounds a captured version: it is quoted in events,
// reasons and the correlation ("crm changed 4.2.0 -> 4.3.0").
const maxVersionText = 64

// versionReader reads an application's version from a response, as the
// check's `version` table says: a header, a dotted path into a JSON body,
// or a regex's first group on the body.
type versionReader struct {
	header string
	path   []string
	re     *regexp.Regexp
	where  string // how the summary names the source when it is missing
}

// prepareVersion builds the reader; nil without a capture.
func prepareVersion(vc *model.VersionCapture) (*versionReader, error) {
	if vc == nil {
		return nil, nil
	}
	if _, err := vc.Check(); err != nil {
		return nil, err
	}
	switch {
	case vc.Header != "":
		return &versionReader{header: http.CanonicalHeaderKey(vc.Header), where: "no " + vc.Header + " header"}, nil
	case vc.JSON != "":
		path, _ := model.JSONPath(vc.JSON)
		return &versionReader{path: path, where: vc.JSON}, nil
	}
	re, _ := model.VersionRegex(vc.Regex)
	return &versionReader{re: re, where: "body does not match /" + vc.Regex + "/"}, nil
}

// capture sets the outcome's AttrVersion, or notes in its summary why the
// version is unknown: never a failure by itself.
func (vr *versionReader) capture(o *model.Outcome, h http.Header, body []byte, truncated bool) {
	v, why := vr.read(h, body)
	if v == "" && why == "" {
		why = "empty"
	}
	if why != "" {
		if truncated && vr.header == "" {
			why += ", body truncated at 1 MiB"
		}
		o.Summary += " (version unknown: " + why + ")"
		return
	}
	if o.Attrs == nil {
		o.Attrs = map[string]string{}
	}
	o.Attrs[model.AttrVersion] = model.Clip(v, maxVersionText)
}

// read returns the version, or why there is none.
func (vr *versionReader) read(h http.Header, body []byte) (string, string) {
	switch {
	case vr.header != "":
		v := h.Get(vr.header)
		if v == "" {
			return "", vr.where
		}
		return v, ""
	case vr.re != nil:
		m := vr.re.FindSubmatch(body)
		if m == nil {
			return "", vr.where
		}
		return string(m[1]), ""
	}
	return jsonVersion(body, vr.path)
}

// jsonVersion follows path into a JSON body; the value must be a string or
// a number.
func jsonVersion(body []byte, path []string) (string, string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return "", "body is not JSON: " + model.Clip(err.Error(), model.MaxNetText)
	}
	for i, p := range path {
		switch node := x.(type) {
		case map[string]any:
			v, ok := node[p]
			if !ok {
				return "", fmt.Sprintf("no %s in the JSON body", joinPath(path[:i+1]))
			}
			x = v
		case []any:
			k, err := strconv.Atoi(p)
			if err != nil || k < 0 || k >= len(node) {
				return "", fmt.Sprintf("no %s in the JSON body", joinPath(path[:i+1]))
			}
			x = node[k]
		default:
			return "", fmt.Sprintf("%s is not an object", joinPath(path[:i]))
		}
	}
	switch v := x.(type) {
	case string:
		return v, ""
	case json.Number:
		return v.String(), ""
	}
	return "", fmt.Sprintf("%s is %s, not a string or number", joinPath(path), jsonKind(x))
}

func joinPath(p []string) string { return strings.Join(p, ".") }

func jsonKind(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", x)
}
