package store

import (
	"encoding/json"
	"maps"
	"math"
	"testing"
)

// appendFiniteJSON reads back as encoding/json's encoding of the finite
// metrics did (invalid UTF-8 in a name becomes U+FFFD in both), exactly.
func FuzzMetricsJSON(f *testing.F) {
	f.Add("rtt_avg_ms", 1.25, "if.eth0\"in\\", math.Inf(1))
	f.Add("é<&>\x00\xff", -0.0, "loss_pct", math.NaN())
	f.Add("", 1e300, "b", 5e-324)
	f.Fuzz(func(t *testing.T, k1 string, v1 float64, k2 string, v2 float64) {
		m := map[string]float64{k1: v1, k2: v2}
		finite := map[string]float64{}
		for k, v := range m {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				finite[k] = v
			}
		}
		want, err := json.Marshal(finite)
		if err != nil {
			t.Fatal(err)
		}
		var got, wantMap map[string]float64
		b := appendFiniteJSON(nil, m)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		if err := json.Unmarshal(want, &wantMap); err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, wantMap) {
			t.Errorf("%q reads %v, want %v (%q)", b, got, wantMap, want)
		}
	})
}
