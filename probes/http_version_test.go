package probes

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// TestHTTPVersionCapture reads the version from real responses of an
// httptest server: a header, a path into JSON, a regex's first group; a
// response without it is still judged as before (never a failure by
// itself) and says why in the summary.
func TestHTTPVersionCapture(t *testing.T) {
	huge := `{"pad":"` + strings.Repeat("x", maxBody) + `","version":"9.9.9"}`
	mux := http.NewServeMux()
	serve := func(path, header, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			if header != "" {
				w.Header().Set("X-App-Version", header)
			}
			io.WriteString(w, body)
		})
	}
	serve("/header", "4.3.0", "ok")
	serve("/noheader", "", "ok")
	serve("/json", "", `{"build":{"version":"4.2.0","n":7},"releases":[{"tag":"r1"}],"num":4.2}`)
	serve("/notjson", "", `<html>{"version": "4.2.0"`)
	serve("/huge", "", huge)
	serve("/about", "", "CRM v4.2.1 (build 77)")
	serve("/long", strings.Repeat("9", 500), "ok")
	mux.HandleFunc("/down", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-App-Version", "4.3.0")
		http.Error(w, "incompatible", http.StatusBadGateway)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name, path string
		capture    model.VersionCapture
		status     model.Status
		version    string // "" for none
		note       string // in the summary when there is none
	}{
		{"header", "/header", model.VersionCapture{Header: "x-app-version"}, model.StatusOK, "4.3.0", ""},
		{"header missing", "/noheader", model.VersionCapture{Header: "X-App-Version"}, model.StatusOK, "", "(version unknown: no X-App-Version header)"},
		{"header on a failure", "/down", model.VersionCapture{Header: "X-App-Version"}, model.StatusCritical, "4.3.0", ""},
		{"json path", "/json", model.VersionCapture{JSON: "build.version"}, model.StatusOK, "4.2.0", ""},
		{"json number", "/json", model.VersionCapture{JSON: "num"}, model.StatusOK, "4.2", ""},
		{"json array index", "/json", model.VersionCapture{JSON: "releases.0.tag"}, model.StatusOK, "r1", ""},
		{"json missing", "/json", model.VersionCapture{JSON: "build.commit"}, model.StatusOK, "", "(version unknown: no build.commit in the JSON body)"},
		{"json object", "/json", model.VersionCapture{JSON: "build"}, model.StatusOK, "", "(version unknown: build is an object, not a string or number)"},
		{"json through a scalar", "/json", model.VersionCapture{JSON: "num.major"}, model.StatusOK, "", "(version unknown: num is not an object)"},
		{"malformed json", "/notjson", model.VersionCapture{JSON: "version"}, model.StatusOK, "", "(version unknown: body is not JSON: invalid character '<'"},
		{"huge json", "/huge", model.VersionCapture{JSON: "version"}, model.StatusOK, "", "body truncated at 1 MiB)"},
		{"regex", "/about", model.VersionCapture{Regex: `v([0-9.]+)`}, model.StatusOK, "4.2.1", ""},
		{"regex no match", "/header", model.VersionCapture{Regex: `v([0-9.]+)`}, model.StatusOK, "", "(version unknown: body does not match /v([0-9.]+)/)"},
		{"long value is cut", "/long", model.VersionCapture{Header: "X-App-Version"}, model.StatusOK, model.Clip(strings.Repeat("9", 500), maxVersionText), ""},
	}
	n := &Net{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := httpCheck(srv.URL + tt.path)
			c.VersionCapture = &tt.capture
			o := run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
			if o.Status != tt.status {
				t.Errorf("status %s (%s), want %s", o.Status, o.Summary, tt.status)
			}
			if got := o.Attrs[model.AttrVersion]; got != tt.version {
				t.Errorf("version %q, want %q (summary %q)", got, tt.version, o.Summary)
			}
			if tt.note != "" && !strings.Contains(o.Summary, tt.note) {
				t.Errorf("summary %q lacks %q", o.Summary, tt.note)
			}
			if tt.version != "" && strings.Contains(o.Summary, "version unknown") {
				t.Errorf("summary %q says unknown", o.Summary)
			}
		})
	}
}

// A capture the loader refuses is refused by the prepare step too, with
// the same words.
func TestHTTPVersionPrepareRefuses(t *testing.T) {
	for _, vc := range []model.VersionCapture{{}, {Header: "a", JSON: "b"}, {Regex: "v[0-9]+"}, {Regex: "("}, {JSON: "a..b"}, {Header: "X Y"}} {
		c := httpCheck("http://127.0.0.1:1/")
		c.VersionCapture = &vc
		_, err := (&Net{}).PrepareHTTP(httpTarget(c))
		_, want := vc.Check()
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%+v: prepare error %v, want %v", vc, err, want)
		}
	}
}

// FuzzHTTPVersionJSON reads a version from any body by a path: a value or
// a reason, never a panic, never more than the cap.
func FuzzHTTPVersionJSON(f *testing.F) {
	f.Add([]byte(`{"build":{"version":"4.2.0"}}`), "build.version")
	f.Add([]byte(`{"releases":[{"tag":"r1"}]}`), "releases.0.tag")
	f.Add([]byte(`[1,2,3]`), "5")
	f.Add([]byte(`{"v":1e999}`), "v")
	f.Add([]byte(`{"a":`), "a")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		vr, err := prepareVersion(&model.VersionCapture{JSON: path})
		if err != nil {
			return
		}
		var o model.Outcome
		vr.capture(&o, http.Header{}, body, false)
		v, ok := o.Attrs[model.AttrVersion]
		if ok == strings.Contains(o.Summary, "version unknown") || len(v) > maxVersionText+len("… (99999999 bytes)") {
			t.Fatalf("version %q (%v), summary %q", v, ok, o.Summary)
		}
	})
}
