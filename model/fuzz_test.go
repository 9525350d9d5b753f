package model

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the loader: it must never panic, and
// every failure must be a sorted list of positioned errors wrapping a
// sentinel. A config that loads must survive Encode and load again.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/config/*.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(files, "../config.example.toml") {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(builtinTOML))
	sentinels := []error{ErrUnknownKey, ErrWrongType, ErrBadDuration, ErrDuplicateName,
		ErrUnknownParent, ErrUnknownNeed, ErrCycle, ErrThresholdOrder, ErrMissing, ErrInvalid,
		ErrNotForType, ErrSecret, ErrSyntax, ErrTooLarge, ErrUnknownTarget, ErrUnknownLink}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.toml", data)
		if err != nil {
			var errs ConfigErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is not a non-empty ConfigErrors: %#v", err)
			}
			for i, e := range errs {
				if e.Line < 1 || e.Col < 1 || e.File != "fuzz.toml" || e.Msg == "" {
					t.Fatalf("badly placed error %d: %+v", i, e)
				}
				known := false
				for _, s := range sentinels {
					known = known || errors.Is(e, s)
				}
				if !known {
					t.Fatalf("error %q wraps no sentinel", e)
				}
				if i > 0 && (e.Line < errs[i-1].Line || e.Line == errs[i-1].Line && e.Col < errs[i-1].Col) {
					t.Fatalf("errors out of file order: %v", err)
				}
			}
			return
		}
		out, err := Encode(cfg)
		if err != nil {
			t.Fatalf("Encode of a valid config: %v", err)
		}
		if _, err := Parse("encoded.toml", out); err != nil {
			t.Fatalf("encoded config does not load: %v\n%s", err, out)
		}
	})
}

// FuzzCertsFromAttrs: whatever a store's attrs hold, reading the
// certificates never panics and yields only entries that name a check.
func FuzzCertsFromAttrs(f *testing.F) {
	f.Add(`{"check":"tls","subject":"CN=a","issuer":"CN=b","not_after":"2027-01-01T00:00:00Z","fingerprint":"aa"}`, "")
	f.Add(`{"check":"","subject":"CN=a"}`, `not json`)
	f.Add(`{"check":"tls","not_after":"yesterday"}`, `{"check":"https"}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, sc := range CertsFromAttrs(map[string]string{"cert.1": a, "cert.2": b}) {
			if sc.Check == "" {
				t.Fatalf("entry without a check: %+v", sc)
			}
		}
	})
}
