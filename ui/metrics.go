package ui

import (
	"math"
	"slices"
	"strings"

	"noctop/model"
)

// mainMetric is the number that best sums up a check, charted in its
// history and sparkline.
func mainMetric(c *model.CheckState) string {
	prefer := map[string][]string{
		model.CheckICMP: {"rtt_avg_ms", "loss_pct"},
		model.CheckHTTP: {"latency_ms"},
		model.CheckTCP:  {"connect_ms", "response_ms"},
		model.CheckDNS:  {"latency_ms"},
		model.CheckTLS:  {"days_left"},
		model.CheckHost: {"cpu_pct", "load1_per_core", "mem_pct"},
		"snmp":          {"in_bps_total", "out_bps_total"},
	}[c.Type]
	for _, k := range prefer {
		if _, ok := c.Metrics[k]; ok {
			return k
		}
	}
	if len(prefer) > 0 && len(c.Metrics) == 0 {
		return prefer[0]
	}
	keys := make([]string, 0, len(c.Metrics))
	for k := range c.Metrics {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// formatMetric writes a value in the unit its name says.
func formatMetric(key string, v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case strings.HasSuffix(key, "_ms"):
		return ms(v)
	case strings.HasSuffix(key, "_pct") || strings.HasPrefix(key, "disk_pct:"):
		return num(v) + "%"
	case strings.HasSuffix(key, "bps_total") || strings.HasSuffix(key, "_bps"):
		return bps(v) + "/s"
	case strings.Contains(key, "days"):
		return itoa(int(math.Floor(v))) + "d"
	case strings.HasSuffix(key, "_c"):
		return num(v) + "°C"
	}
	return num(v)
}

// metricLabel is a short human name of a metric.
func metricLabel(key string) string {
	r := strings.NewReplacer("_ms", "", "_pct", " %", "_", " ")
	return r.Replace(key)
}
