package ui

import (
	"math"
	"slices"

	"noctop/model"
)

// hardware draws gauges for a host check: CPU, memory, swap, load per
// core, each disk, and temperatures (n/a when the machine has no sensors).
func hardware(s *styles, c *model.CheckState, w int) []string {
	bw := min(30, max(w/4, 10))
	type gauge struct {
		label, key string
		pct, val   float64
	}
	var gs []gauge
	add := func(label, key string, scale float64) {
		v, ok := c.Metrics[key]
		if !ok {
			gs = append(gs, gauge{label, key, math.NaN(), math.NaN()})
			return
		}
		gs = append(gs, gauge{label, key, v * scale, v})
	}
	add("cpu", model.MetricCPU, 1)
	add("memory", model.MetricMem, 1)
	add("swap", model.MetricSwap, 1)
	add("load/core", model.MetricLoadPerCore, 50) // 2.0 per core fills the bar
	var disks []string
	for k := range c.Metrics {
		if d, ok := c.Metric(k); ok && d.Name == model.MetricDisk && d.Label != "" {
			disks = append(disks, k)
		}
	}
	slices.Sort(disks)
	for _, k := range disks {
		d, _ := c.Metric(k)
		add("disk "+clean(d.Label), k, 1)
	}
	lw := 10
	for _, g := range gs {
		lw = max(lw, min(width(g.label), 24))
	}
	var out []string
	for _, g := range gs {
		t := s.level(g.pct, 80, 90, true)
		val := formatMetric(c, g.key, g.val)
		if math.IsNaN(g.val) {
			val = "n/a"
		}
		line := fit(g.label, lw) + " " + bar(s, g.pct, bw, t) + " " + fitRight(val, 7) + "  " +
			s.accent.paint(sparkline(history(c, g.key, 20), 20))
		out = append(out, line)
	}
	temp := "n/a"
	if v, ok := c.Metrics[model.MetricTempMax]; ok {
		temp = formatMetric(c, model.MetricTempMax, v)
		if all := c.Attrs["temperatures"]; all != "" {
			temp += "  " + s.muted.paint(clean(all))
		}
	}
	out = append(out, fit("temp", lw)+" "+temp)
	for i := range out {
		out[i] = cut(out[i], w)
	}
	return out
}

var ifaceColumns = []column{
	{title: "STATUS", w: 10},
	{title: "IF", fit: true, min: 4, max: 24},
	{title: "ALIAS", fit: true, min: 5, max: 32, drop: 2}, // what the port connects to
	{title: "ADMIN/OPER", w: 16},
	{title: "IN", w: 8, right: true},
	{title: "OUT", w: 8, right: true},
	{title: "UTIL", w: 6, right: true, drop: 3},
	{title: "DROP/MIN", w: 8, right: true, drop: 1}, // errors + discards, in and out: what the errors threshold judges
	{title: "SPEED", w: 6, right: true, drop: 4},
	{title: "REASON", flex: true, min: 10, drop: 5},
}

// interfaceTable draws an SNMP device's interfaces.
func interfaceTable(s *styles, ifs []model.Interface, w int) []string {
	var ifW, aliasW, reasonW int
	for _, i := range ifs {
		ifW, aliasW, reasonW = max(ifW, width(clean(i.Name))), max(aliasW, width(clean(i.Alias))), max(reasonW, width(clean(i.Reason)))
	}
	t := newTable(ifaceColumns, w, 0, ifW, aliasW, 0, 0, 0, 0, 0, 0, reasonW)
	out := []string{t.header(s)}
	for _, i := range ifs {
		admin := "down"
		if i.AdminUp {
			admin = "up"
		}
		util := "—"
		if !math.IsNaN(i.UtilPct) && i.SpeedBps > 0 {
			util = s.level(i.UtilPct, 70, 90, true).paint(num(i.UtilPct) + "%")
		}
		errs := i.InErrors + i.OutErrors + i.InDiscards + i.OutDiscards
		et := s.muted
		if errs > 0 {
			et = s.warnText
		}
		errText := num(errs)
		if math.IsNaN(errs) {
			errText = "—"
		}
		out = append(out, t.line([]string{
			statusCell(s, i.Status, ""), clean(i.Name), clean(i.Alias), admin + "/" + clean(i.OperStatus),
			bps(i.InBps), bps(i.OutBps), util, et.paint(errText), s.muted.paint(bps(i.SpeedBps)), s.muted.paint(clean(i.Reason)),
		}))
	}
	return out
}
