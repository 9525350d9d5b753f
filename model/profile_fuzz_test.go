package model

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseProfile feeds arbitrary bytes to the custom profile loader: it
// never panics, a failure is a non-empty list of errors placed in the
// file, and a profile that loads names itself and its metrics validly.
func FuzzParseProfile(f *testing.F) {
	files, err := filepath.Glob("testdata/profile/*.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(files, "../dist/profiles/noctop-lab-ap.toml") {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(context.Background(), "fuzz.toml", data)
		if err != nil {
			var errs ConfigErrors
			if len(data) > MaxProfileBytes {
				return
			}
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is not a non-empty ConfigErrors: %#v", err)
			}
			for i, e := range errs {
				if e.Line < 1 || e.Col < 1 || e.File != "fuzz.toml" || e.Msg == "" || e.Err == nil {
					t.Fatalf("badly placed error %d: %+v", i, e)
				}
			}
			return
		}
		if !profileNamePattern().MatchString(p.Name) || IsBuiltinProfile(p.Name) || len(p.Metrics) == 0 {
			t.Fatalf("loaded a profile with a bad name or no metrics: %+v", p)
		}
		for _, m := range p.Metrics {
			if !metricName(m.Name) || !validOID(m.OID) || !(&Limits{Warn: m.Warn, Crit: m.Crit}).Threshold(m.Unit, m.Below).Ordered() {
				t.Fatalf("loaded a bad metric: %+v", m)
			}
		}
		_ = p.MetricDecls()
		_ = p.Limits()
	})
}
