package main

import (
	"encoding/json"
	"math"

	"noctop/model"
)

// The tables `check --json` adds to a check: an SNMP device's interfaces
// and a host check's gauges, listed in full. A figure not measured yet (a
// rate before the second poll, CPU without a window) is null, so a script
// tells "0" from "unknown" and every row keeps the same keys.

// jsonNum is a number that encodes NaN and ±Inf as null (encoding/json
// refuses them, which would fail the whole report).
type jsonNum float64

func (n jsonNum) MarshalJSON() ([]byte, error) {
	if f := float64(n); math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(n))
}

// interfaceRow is one interface of an snmp check.
type interfaceRow struct {
	Index  int          `json:"index"`
	Name   string       `json:"name"`
	Alias  string       `json:"alias"`
	Descr  string       `json:"descr,omitempty"`
	Admin  string       `json:"admin"` // up | down
	Oper   string       `json:"oper"`  // up, down, testing, dormant, notPresent, lowerLayerDown, unknown
	Status model.Status `json:"status"`
	Reason string       `json:"reason,omitempty"`
	Speed  jsonNum      `json:"speed_bps"`
	In     jsonNum      `json:"in_bps"`
	Out    jsonNum      `json:"out_bps"`
	Util   jsonNum      `json:"util_pct"` // the larger of in and out against speed
	// Drops is errors + discards, in and out, per minute: what the
	// check's errors threshold judges.
	Drops jsonNum `json:"errors_discards_per_min"`
}

func interfaceRows(ifs []model.Interface) []interfaceRow {
	if len(ifs) == 0 {
		return nil
	}
	rows := make([]interfaceRow, len(ifs))
	for i, it := range ifs {
		admin := "down"
		if it.AdminUp {
			admin = "up"
		}
		util := it.UtilPct
		if it.SpeedBps <= 0 {
			util = math.NaN() // no speed, no utilisation
		}
		rows[i] = interfaceRow{Index: it.Index, Name: it.Name, Alias: it.Alias, Descr: it.Descr,
			Admin: admin, Oper: it.OperStatus, Status: it.Status, Reason: it.Reason,
			Speed: jsonNum(it.SpeedBps), In: jsonNum(it.InBps), Out: jsonNum(it.OutBps), Util: jsonNum(util),
			Drops: jsonNum(it.InErrors + it.OutErrors + it.InDiscards + it.OutDiscards)}
	}
	return rows
}

// hostGauges is a host check's gauges (model.HostTable).
type hostGauges struct {
	CPU          jsonNum          `json:"cpu_pct"`
	Load1        jsonNum          `json:"load1"`
	Load5        jsonNum          `json:"load5"`
	Load15       jsonNum          `json:"load15"`
	LoadPerCore  jsonNum          `json:"load1_per_core"`
	Cores        int              `json:"cores"`
	Mem          jsonNum          `json:"mem_pct"`
	Swap         jsonNum          `json:"swap_pct"`
	SwapBytes    uint64           `json:"swap_bytes"`
	Filesystems  []filesystemRow  `json:"filesystems"`
	Temperatures []temperatureRow `json:"temperatures"` // empty: no sensors
}

type filesystemRow struct {
	Mount  string  `json:"mount"`
	Device string  `json:"device"`
	FSType string  `json:"fstype"`
	Used   jsonNum `json:"used_pct"`
	Error  string  `json:"error,omitempty"`
}

type temperatureRow struct {
	Sensor  string  `json:"sensor"`
	Celsius jsonNum `json:"celsius"`
}

func newHostGauges(h *model.HostTable) *hostGauges {
	if h == nil {
		return nil
	}
	g := &hostGauges{CPU: jsonNum(h.CPUPct), Load1: jsonNum(h.Load1), Load5: jsonNum(h.Load5), Load15: jsonNum(h.Load15),
		LoadPerCore: jsonNum(h.LoadPerCore), Cores: h.Cores, Mem: jsonNum(h.MemPct), Swap: jsonNum(h.SwapPct),
		SwapBytes: h.SwapBytes, Filesystems: []filesystemRow{}, Temperatures: []temperatureRow{}}
	for _, f := range h.Filesystems {
		g.Filesystems = append(g.Filesystems, filesystemRow{Mount: f.Mount, Device: f.Device, FSType: f.FSType,
			Used: jsonNum(f.UsedPct), Error: f.Err})
	}
	for _, t := range h.Temperatures {
		g.Temperatures = append(g.Temperatures, temperatureRow{Sensor: t.Sensor, Celsius: jsonNum(t.Celsius)})
	}
	return g
}

// metricUnits is the unit symbol of each of a check's metrics, as the
// check's declarations give it; plain numbers and codes have none.
func metricUnits(c *model.CheckState, metrics map[string]float64) map[string]string {
	out := make(map[string]string, len(metrics))
	for name := range metrics {
		if d, ok := c.Metric(name); ok && d.Symbol() != "" {
			out[name] = d.Symbol()
		}
	}
	return out
}

// finiteMetrics drops NaN and ±Inf from a check's metrics: JSON has no
// such numbers, and one would fail the whole report. The map is returned
// as it is when every value is finite (the engine's maps are read-only).
func finiteMetrics(m map[string]float64) map[string]float64 {
	bad := 0
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad++
		}
	}
	if bad == 0 {
		if m == nil {
			return map[string]float64{} // "metrics":{}, never null
		}
		return m
	}
	out := make(map[string]float64, len(m)-bad)
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	return out
}
