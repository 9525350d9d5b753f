package probes

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"testing"
	"time"

	"noctop/model"
)

// BenchmarkHTTPProbe: one http check (new connection, GET, body match)
// against a local server, next to `curl -s -o /dev/null` on the same URL
// in the same process. cpu-ns/op counts this process (client and server)
// plus curl's own CPU. See BENCHMARKS.md.
func BenchmarkHTTPProbe(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	}))
	defer srv.Close()
	url := srv.URL + "/healthy"

	b.Run("noctop", func(b *testing.B) {
		c := httpCheck(url)
		c.BodyContains = "ok"
		p, err := (&Net{}).PrepareHTTP(httpTarget(c))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		cpu := cpuTime(b)
		for b.Loop() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			o := p.Run(ctx)
			cancel()
			if o.Status != model.StatusOK {
				b.Fatalf("probe: %s %s", o.Status, o.Summary)
			}
		}
		b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
	})

	b.Run("curl", func(b *testing.B) {
		curl, err := exec.LookPath("curl")
		if err != nil {
			b.Skip("curl not installed")
		}
		cpu := cpuTime(b)
		for b.Loop() {
			if out, err := exec.Command(curl, "-s", "-o", "/dev/null", url).CombinedOutput(); err != nil {
				b.Fatalf("curl: %v %s", err, out)
			}
		}
		b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
	})
}
