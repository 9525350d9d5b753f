package probes

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"noctop/model"
)

// hostResColumns are the HOST-RESOURCES-MIB columns walked when a check
// asks for host resources (hrStorageAllocationUnits is not needed: used %
// is used / size in the same units).
func hostResColumns() []string {
	return []string{oidHrProcessorLoad, oidHrStorageType, oidHrStorageDescr, oidHrStorageSize, oidHrStorageUsed}
}

// wantsHostRes reports whether a check reads host resources.
func wantsHostRes(c *model.Check) bool {
	return c.HostResources || c.CPU != nil || c.Memory != nil || c.Disk != nil
}

// hostRes is one poll of host resources. A figure the agent does not have
// is NaN and shown as "n/a", never 0.
type hostRes struct {
	cpuPct float64 // average hrProcessorLoad
	cpus   int
	memPct float64 // hrStorageRam used %
	disks  []storageUse
}

type storageUse struct {
	name string
	pct  float64
}

// storageRow is one hrStorageEntry.
type storageRow struct {
	typ, descr string
	size, used float64
	hasSize    bool
	hasUsed    bool
}

// parseHostRes reads the HR columns; a value of the wrong type or out of
// range is a problem (one per row at most: the walk bounds them).
func parseHostRes(cols map[string][]tableRow) (h hostRes, probs []string) {
	h = hostRes{cpuPct: math.NaN(), memPct: math.NaN()}
	var sum float64
	for _, r := range cols[oidHrProcessorLoad] {
		n, err := pduInt(r.pdu)
		if err != nil || n < 0 || n > 100 {
			probs = append(probs, fmt.Sprintf("hrProcessorLoad.%s: %v", r.index, errOr(err, fmt.Sprintf("%d is not a percentage", n))))
			continue
		}
		sum += float64(n)
		h.cpus++
	}
	if h.cpus > 0 {
		h.cpuPct = sum / float64(h.cpus)
	}

	rows := map[string]*storageRow{}
	var order []string
	get := func(idx string) *storageRow {
		if rows[idx] == nil {
			rows[idx] = &storageRow{}
			order = append(order, idx)
		}
		return rows[idx]
	}
	for _, r := range cols[oidHrStorageType] {
		s, err := pduOID(r.pdu)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		get(r.index).typ = "." + s
	}
	for _, r := range cols[oidHrStorageDescr] {
		s, err := pduString(r.pdu)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		get(r.index).descr = s
	}
	for _, col := range []string{oidHrStorageSize, oidHrStorageUsed} {
		for _, r := range cols[col] {
			n, err := pduInt(r.pdu)
			if err != nil || n < 0 {
				probs = append(probs, fmt.Sprintf("%s: %v", oidName(r.pdu.Name), errOr(err, fmt.Sprintf("%d is negative", n))))
				continue
			}
			s := get(r.index)
			if col == oidHrStorageSize {
				s.size, s.hasSize = float64(n), true
			} else {
				s.used, s.hasUsed = float64(n), true
			}
		}
	}
	var memUsed, memSize float64
	slices.SortFunc(order, func(a, b string) int { return oidCompare(a, b) })
	for _, idx := range order {
		s := rows[idx]
		if !s.hasSize || !s.hasUsed || s.size <= 0 {
			continue // a storage without a size says nothing (n/a)
		}
		switch s.typ {
		case oidHrStorageRAM:
			memUsed += s.used
			memSize += s.size
		case oidHrStorageDisk:
			name := s.descr
			if name == "" {
				name = "storage" + idx
			}
			// Windows agents describe "C:\ Label:System Serial Number 1234".
			if i := strings.Index(name, " Label:"); i > 0 {
				name = name[:i]
			}
			h.disks = append(h.disks, storageUse{name: name, pct: s.used / s.size * 100})
		}
	}
	if memSize > 0 {
		h.memPct = memUsed / memSize * 100
	}
	return h, probs
}

func errOr(err error, fallback string) string {
	if err != nil {
		return err.Error()
	}
	return fallback
}

// judge applies the check's cpu, memory and disk thresholds.
func (h *hostRes) judge(lim *snmpLimits, v *model.Verdict) {
	v.Judge(lim.cpu, "cpu", h.cpuPct)
	v.Judge(lim.mem, "mem", h.memPct)
	for _, d := range h.disks {
		v.Judge(lim.disk, "disk "+d.name, d.pct)
	}
}

// metrics adds cpu_pct, mem_pct, disk_pct:<name> and disk_pct_max; the
// attrs say "n/a" for what the agent did not report.
func (h *hostRes) metrics(m map[string]float64, attrs map[string]string) {
	put := func(k string, v float64) {
		if math.IsNaN(v) {
			attrs[k] = "n/a"
			return
		}
		m[k] = v
	}
	put(model.MetricCPU, h.cpuPct)
	put(model.MetricMem, h.memPct)
	if len(h.disks) == 0 {
		attrs[model.MetricDisk] = "n/a"
	}
	dmax := math.NaN()
	for _, d := range h.disks {
		m[model.Metric{Name: model.MetricDisk, Label: d.name}.FullName()] = d.pct
		dmax = maxKnown(dmax, d.pct)
	}
	if !math.IsNaN(dmax) {
		m[model.MetricDiskMax] = dmax
	}
	if h.cpus > 0 {
		attrs["cpus"] = strconv.Itoa(h.cpus)
	}
}

// text is the summary's part: "cpu 12%, mem 54%, disk max 71% on /var".
func (h *hostRes) text() string {
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "n/a"
		}
		return model.FormatValue(math.Round(v), "%")
	}
	s := "cpu " + pct(h.cpuPct) + ", mem " + pct(h.memPct)
	if len(h.disks) == 0 {
		return s + ", disk n/a"
	}
	top := h.disks[0]
	for _, d := range h.disks[1:] {
		if d.pct > top.pct {
			top = d
		}
	}
	return s + ", disk max " + pct(top.pct) + " on " + top.name
}
