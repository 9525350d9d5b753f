package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"noctop/model"
)

func TestLogLag(t *testing.T) {
	for _, c := range []struct {
		lag   model.LagStats
		level string
	}{
		{model.LagStats{Runs: 1000, P50: 2 * time.Millisecond, P99: 50 * time.Millisecond, Max: 80 * time.Millisecond}, "INFO"},
		{model.LagStats{Runs: 1000, P50: 500 * time.Millisecond, P99: 2500 * time.Millisecond, Max: 4 * time.Second}, "WARN"},
	} {
		var b bytes.Buffer
		logLag(slog.New(slog.NewJSONHandler(&b, nil)), c.lag)
		var line map[string]any
		if err := json.Unmarshal(b.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if line["level"] != c.level || line["msg"] != "schedule lag" || line["kind"] != "lag" ||
			line["runs"] != float64(c.lag.Runs) || line["p99_ms"] != float64(c.lag.P99.Milliseconds()) {
			t.Errorf("%+v: %v", c.lag, line)
		}
	}
}
