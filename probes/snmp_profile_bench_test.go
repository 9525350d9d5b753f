package probes

import (
	"context"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// BenchmarkSNMPProfilePoll: one poll of a lab device (one interface) as
// the scheduler runs it, plain and with each profile, in process against
// the lab agent on loopback: what a profile adds to a poll (its requests
// and judging), in time, allocations and requests.
//
//	go test ./probes -run '^$' -bench SNMPProfilePoll -benchmem
func BenchmarkSNMPProfilePoll(b *testing.B) {
	a := startSNMPLab(b, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "dev", Interfaces: 1, OperDownIf: -1,
		UPS: true, Printer: true, Sensors: true, AccessPoint: true, ObjectID: ".1.3.6.1.4.1.99999.2.1"}})
	d := a.Devices()[0]
	for _, c := range []struct{ name, keys string }{
		{"plain", ""}, {"ups", `  profile = "ups"`}, {"printer", `  profile = "printer"`},
		{"sensors", `  profile = "sensors"`}, {"wireless+labap", `  profile = "wireless"`},
	} {
		b.Run(c.name, func(b *testing.B) {
			tg := profileTargetB(b, d, c.keys)
			p := newSNMPChecks()
			defer p.Close()
			runSNMP(b, p, tg)
			r := p.probeOf(b, tg)
			sent0 := r.client.conn.sent
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				out := r.Run(ctx)
				cancel()
				if out.Status != model.StatusOK {
					b.Fatalf("%v %s", out.Status, out.Summary)
				}
			}
			b.ReportMetric(float64(r.client.conn.sent-sent0)/float64(b.N), "requests/op")
		})
	}
}
