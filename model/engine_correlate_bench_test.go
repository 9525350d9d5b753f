package model

import (
	"fmt"
	"testing"
)

// BenchmarkEngineCorrelate: the ~100 hosts behind core-0 fail and recover
// once per op, with no change anywhere (none) or just after core-0
// rebooted (reboot: each failure walks its ancestors and is tied to the
// reboot; the reboot itself looks for problems behind core-0 that began
// since its last poll).
func BenchmarkEngineCorrelate(b *testing.B) {
	for _, change := range []bool{false, true} {
		name := "none"
		if change {
			name = "reboot"
		}
		b.Run(fmt.Sprintf("change=%s", name), func(b *testing.B) {
			cfg := benchConfig()
			e := NewEngine(cfg, EngineOptions{})
			var behind []CheckKey
			for i := range cfg.Assets {
				a := &cfg.Assets[i]
				for j := range a.Checks {
					e.applyResult(Result{Key: a.Key(&a.Checks[j]), Outcome: Outcome{Status: StatusOK, Summary: "x"}})
				}
				if a.Name != "core-0" && e.underCore0(i) && len(a.Parents) > 0 && a.Checks[1].Type == CheckHTTP {
					behind = append(behind, a.Key(&a.Checks[1]))
				}
			}
			reboot := Result{Key: CheckKey{Asset: "core-0", Check: CheckTCP}, Outcome: Outcome{Status: StatusOK, Summary: "up",
				Notes: []Note{{Kind: EventReboot, Summary: "rebooted"}}}}
			b.ReportAllocs()
			for b.Loop() {
				if change {
					e.applyResult(reboot)
				}
				for _, k := range behind {
					e.applyResult(Result{Key: k, Outcome: Outcome{Status: StatusCritical, Summary: "HTTP 502"}})
				}
				for _, k := range behind {
					e.applyResult(Result{Key: k, Outcome: Outcome{Status: StatusOK, Summary: "HTTP 200"}})
				}
			}
			if change && e.checks[e.byKey[behind[0]]].corr != nil {
				b.Fatal("recovered, yet correlated")
			}
			b.ReportMetric(float64(len(behind)), "checks_failing")
		})
	}
}
