package probes

import (
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// sysInfo is the SNMPv2-MIB system group of one poll.
type sysInfo struct {
	name, descr, objectID, contact, location string
	// descrSum is a hash of the whole sysDescr: descr is cut for display,
	// and a firmware change after its first 256 bytes is still a change.
	descrSum  uint64
	uptime    uint32 // centiseconds (TimeTicks)
	hasUptime bool
	problems  []string
}

// parseSystem reads the system group from a GET answer. A missing object is
// left empty; a value of the wrong type is a problem (UNKNOWN).
func parseSystem(vals map[string]gosnmp.SnmpPDU) sysInfo {
	var s sysInfo
	str := func(oid string, dst *string) {
		v, ok := vals[oid]
		if !ok || missing(v) {
			return
		}
		var err error
		if *dst, err = pduString(v); err != nil {
			s.problems = append(s.problems, err.Error())
		}
	}
	str(oidSysDescr, &s.descr)
	if b, ok := vals[oidSysDescr].Value.([]byte); ok && s.descr != "" {
		h := fnv.New64a()
		h.Write(b)
		s.descrSum = h.Sum64()
	}
	str(oidSysContact, &s.contact)
	str(oidSysName, &s.name)
	str(oidSysLocation, &s.location)
	if v, ok := vals[oidSysObjectID]; ok && !missing(v) {
		var err error
		if s.objectID, err = pduOID(v); err != nil {
			s.problems = append(s.problems, err.Error())
		}
	}
	if v, ok := vals[oidSysUpTime]; ok && !missing(v) {
		if v.Type != gosnmp.TimeTicks {
			s.problems = append(s.problems, wrongType(v, "TimeTicks").Error())
		} else if n, err := pduUint(v); err != nil || n > math.MaxUint32 {
			s.problems = append(s.problems, fmt.Sprintf("%s: bad TimeTicks %v", oidName(v.Name), v.Value))
		} else {
			s.uptime, s.hasUptime = uint32(n), true
		}
	}
	return s
}

// attrs puts the system group into an outcome's attrs.
func (s *sysInfo) attrs(into map[string]string) {
	for k, v := range map[string]string{
		"sys_name": s.name, "sys_descr": s.descr, "sys_object_id": s.objectID,
		"sys_contact": s.contact, "sys_location": s.location,
	} {
		if v != "" {
			into[k] = v
		}
	}
	if s.hasUptime {
		into["sys_uptime"] = fmtUptime(uptimeDuration(s.uptime))
	}
}

// uptimeWrapped reports whether sysUpTime going from prev to cur over
// elapsed wall time is the 32-bit TimeTicks counter wrapping (after 497
// days) rather than a reboot: prev plus the elapsed ticks passed 2^32, and
// cur is about where the count lands after the wrap.
func uptimeWrapped(prev, cur uint32, elapsed time.Duration) bool {
	ticks := int64(elapsed / (10 * time.Millisecond))
	slack := ticks/2 + 6000 // half the interval, and at least a minute
	expect := int64(prev) + ticks
	if expect+slack < 1<<32 {
		return false // could not have reached 2^32
	}
	return int64(cur) <= expect-1<<32+slack
}

// systemNotes compares this poll's system group with the last one: a
// sysUpTime that went back is a reboot, a changed sysDescr or sysObjectID
// is a firmware change. rebooted tells the rate code to skip this poll.
func systemNotes(prev *snmpSample, cur sysInfo, elapsed time.Duration) (notes []model.Note, rebooted bool) {
	if prev == nil {
		return nil, false
	}
	if prev.sys.hasUptime && cur.hasUptime && cur.uptime < prev.sys.uptime && !uptimeWrapped(prev.sys.uptime, cur.uptime, elapsed) {
		rebooted = true
		notes = append(notes, model.Note{Kind: model.EventReboot, Summary: fmt.Sprintf("rebooted: sysUpTime went back from %s to %s",
			fmtUptime(uptimeDuration(prev.sys.uptime)), fmtUptime(uptimeDuration(cur.uptime)))})
	}
	if prev.sys.descr != "" && cur.descr != "" && prev.sys.descrSum != cur.descrSum {
		notes = append(notes, model.Note{Kind: model.EventChange,
			Summary: fmt.Sprintf("firmware changed: %s -> %s", prev.sys.descr, cur.descr),
			What:    "firmware changed", From: prev.sys.descr, To: cur.descr})
	}
	if prev.sys.objectID != "" && cur.objectID != "" && prev.sys.objectID != cur.objectID {
		notes = append(notes, model.Note{Kind: model.EventChange,
			Summary: fmt.Sprintf("firmware changed: sysObjectID %s -> %s", prev.sys.objectID, cur.objectID),
			What:    "firmware changed", From: prev.sys.objectID, To: cur.objectID})
	}
	return notes, rebooted
}

func uptimeDuration(ticks uint32) time.Duration { return time.Duration(ticks) * 10 * time.Millisecond }

// fmtUptime prints an uptime the way an operator reads it: "41d 3h",
// "5h 12m", "2m", "40s".
func fmtUptime(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	h := int(d/time.Hour) % 24
	m := int(d/time.Minute) % 60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}
