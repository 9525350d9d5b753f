package probes

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"noctop/model"
)

// A check's device profile (model/profile.go): after the system group and
// the interfaces, the profile's objects are read (GET for scalars, one
// walk of its columns) and judged against its thresholds. Each profile
// fills Outcome.Profile, the rows the asset screen draws, and metrics.

// profileProbe is a check's profile, prepared.
type profileProbe struct {
	name string // as configured
	// chosen is the profile read: name, or for auto the one detected
	// ("" while none fits); detected is set once auto has decided.
	chosen   string
	detected bool
	// detectedFor is the sysObjectID auto decided for: a device that
	// changes it (another platform at the address, a firmware that
	// changes the ID) is detected again.
	detectedFor string
	custom      []*model.CustomProfile
	// limits are the profile's thresholds with the check's overrides.
	limits map[string]model.Threshold
}

// prepareProfile reads c's profile and thresholds, refusing what the
// loader refuses (model/config_rules.go); nil without a profile.
func prepareProfile(c *model.Check) (*profileProbe, error) {
	if err := model.CheckThresholdsHaveProfile(c); err != nil {
		return nil, err
	}
	if c.Profile == "" {
		return nil, nil
	}
	if err := model.CheckProfileName(c.Profile, c.CustomProfiles); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(c.Thresholds))
	for k := range c.Thresholds {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if err := model.CheckProfileThreshold(c, k, c.Thresholds[k]); err != nil {
			return nil, err
		}
	}
	return newProfileProbe(c), nil
}

// newProfileProbe is c's profile with its thresholds read; nil without
// one.
func newProfileProbe(c *model.Check) *profileProbe {
	if c.Profile == "" {
		return nil
	}
	p := &profileProbe{name: c.Profile, chosen: c.Profile, custom: c.CustomProfiles, limits: map[string]model.Threshold{}}
	if c.Profile == model.ProfileAuto {
		p.chosen = ""
	}
	for _, l := range c.ProfileLimits() {
		p.limits[l.Name], _ = c.ProfileLimit(l.Name)
	}
	return p
}

// limit is the check's threshold name (its override, else the profile's
// default); a profile without it judges nothing.
func (p *profileProbe) limit(name string) model.Threshold { return p.limits[name] }

// detect picks auto's profile from the system group and, when
// sysObjectID says nothing, the MIB roots the agent answers. A custom
// profile whose sys_object_id matches comes first.
func (p *profileProbe) detect(cl *snmpClient, sysObjectID string) error {
	p.detectedFor = sysObjectID
	for _, c := range p.custom {
		if len(c.SysObjectID) > 0 && c.Matches(sysObjectID) {
			p.chosen, p.detected = c.Name, true
			if c.Extends != "" {
				p.chosen = c.Extends
			}
			return nil
		}
	}
	var roots map[string]bool
	if DetectProfile(sysObjectID, nil) == "" {
		var err error
		if roots, err = cl.rootsAnswering(ProfileRoots()); err != nil {
			return err
		}
	}
	p.chosen, p.detected = DetectProfile(sysObjectID, func(r string) bool { return roots[r] }), true
	return nil
}

// profileRead is what reading a profile found besides the verdict.
type profileRead struct {
	table   model.ProfileTable
	facts   []string
	probs   []string // odd answers: the check is UNKNOWN
	primary string
}

// walk walks a profile's columns and keeps the walk's odd answers among
// the read's problems.
func (pr *profileRead) walk(cl *snmpClient, op string, columns []string, reps int) (map[string][]tableRow, error) {
	wr, err := cl.walk(op, columns, reps)
	if err != nil {
		return nil, err
	}
	pr.probs = append(pr.probs, wr.problems()...)
	return wr.cols, nil
}

// row adds a row judged by t (an empty name judges nothing) and folds its
// verdict into v.
func (pr *profileRead) row(v *model.Verdict, r model.ProfileRow, t model.Threshold, name string) {
	if name != "" && !math.IsNaN(r.Value) {
		r.Status, r.Reason = t.Judge(name, r.Value)
	}
	if r.Status == model.StatusPending {
		r.Status = model.StatusOK
	}
	v.Add(r.Status, r.Reason)
	pr.table.Rows = append(pr.table.Rows, r)
}

// flag adds a row whose status the profile decided (on battery, a tray
// empty, a sensor failed).
func (pr *profileRead) flag(v *model.Verdict, r model.ProfileRow) {
	if r.Status == model.StatusPending {
		r.Status = model.StatusOK
	}
	v.Add(r.Status, r.Reason)
	pr.table.Rows = append(pr.table.Rows, r)
}

// read reads the check's profile after the main poll. The error is a
// failed request (the poll then fails as a whole).
func (p *profileProbe) read(cl *snmpClient, walkOp string, reps int, sys *sysInfo, v *model.Verdict, out *model.Outcome) (*profileRead, error) {
	if p.undecided(sys.objectID) {
		if err := p.detect(cl, sys.objectID); err != nil {
			return nil, err
		}
	}
	pr := &profileRead{table: model.ProfileTable{Profile: p.chosen}}
	var err error
	switch p.chosen {
	case "":
		pr.facts = append(pr.facts, "profile auto: no standard MIB answers")
		return pr, nil
	case model.ProfileHost:
		return nil, nil // read with the interfaces (host resources)
	case model.ProfileUPS:
		err = p.readUPS(cl, pr, v, out)
	case model.ProfilePrinter:
		err = p.readWalked(cl, walkOp+" of the Printer-MIB", printerColumns(), reps, pr, v, out, p.judgePrinter)
	case model.ProfileSensors:
		err = p.readWalked(cl, walkOp+" of ENTITY-SENSOR-MIB", sensorColumns(), reps, pr, v, out, p.judgeSensors)
	case model.ProfileWireless:
		err = p.readWireless(cl, walkOp, reps, sys.objectID, pr, v, out)
	default:
		c := p.customNamed(p.chosen)
		if c == nil {
			return nil, fmt.Errorf("profile %q is not loaded", p.chosen)
		}
		err = p.readCustom(cl, walkOp, reps, []*model.CustomProfile{c}, pr, v, out)
	}
	if err != nil {
		return nil, err
	}
	out.Attrs["profile"] = p.chosen
	return pr, nil
}

// readWalked walks a profile's columns and judges them with judge (the
// printer's, the sensors'); the judges stand alone for the fuzz tests.
func (p *profileProbe) readWalked(cl *snmpClient, op string, cols []string, reps int, pr *profileRead, v *model.Verdict, out *model.Outcome,
	judge func(map[string][]tableRow, *profileRead, *model.Verdict, *model.Outcome)) error {
	walked, err := pr.walk(cl, op, cols, reps)
	if err != nil {
		return err
	}
	judge(walked, pr, v, out)
	return nil
}

// undecided reports whether auto has yet to choose for a device of
// sysObjectID.
func (p *profileProbe) undecided(sysObjectID string) bool {
	return p.name == model.ProfileAuto && (!p.detected || p.detectedFor != sysObjectID)
}

func (p *profileProbe) customNamed(name string) *model.CustomProfile {
	for _, c := range p.custom {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// hostTable is the host profile's rows, from host resources.
func hostTable(h *hostRes, lim *snmpLimits) *model.ProfileTable {
	t := &model.ProfileTable{Profile: model.ProfileHost}
	add := func(group, label string, pct float64, th model.Threshold, name string) {
		r := model.ProfileRow{Group: group, Label: label, Value: pct, Unit: "%", Status: model.StatusOK}
		if math.IsNaN(pct) {
			r.Text = "n/a"
		} else if s, reason := th.Judge(name, pct); s != model.StatusOK {
			r.Status, r.Reason = s, reason
		}
		t.Rows = append(t.Rows, r)
	}
	add("cpu", fmt.Sprintf("%d CPUs", h.cpus), h.cpuPct, lim.cpu, "cpu")
	add("memory", "RAM", h.memPct, lim.mem, "mem")
	for _, d := range h.disks {
		add("disk", d.name, d.pct, lim.disk, "disk "+d.name)
	}
	return t
}

// label cleans text a device sent for a row label and a metric's family
// member: one line, cut.
func label(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return model.Clip(s, 64)
}

// profileObjectName names the profile MIBs' objects for reasons; "" for
// others.
func profileObjectName(oid string) string {
	switch oid {
	case oidUPSBatteryStatus:
		return "upsBatteryStatus.0"
	case oidUPSSecondsOnBatt:
		return "upsSecondsOnBattery.0"
	case oidUPSMinutesLeft:
		return "upsEstimatedMinutesRemaining.0"
	case oidUPSChargeLeft:
		return "upsEstimatedChargeRemaining.0"
	case oidUPSOutputSource:
		return "upsOutputSource.0"
	case oidUPSInputVoltage[:len(oidUPSInputVoltage)-2]:
		return "upsInputVoltage"
	case oidUPSOutputLoadPct[:len(oidUPSOutputLoadPct)-2]:
		return "upsOutputPercentLoad"
	case oidPrtSupplyClass:
		return "prtMarkerSuppliesClass"
	case oidPrtSupplyMax:
		return "prtMarkerSuppliesMaxCapacity"
	case oidPrtSupplyLevel:
		return "prtMarkerSuppliesLevel"
	case oidPrtInputMax:
		return "prtInputMaxCapacity"
	case oidPrtInputLevel:
		return "prtInputCurrentLevel"
	case oidPrtAlertSev:
		return "prtAlertSeverityLevel"
	case oidPrtAlertGroup:
		return "prtAlertGroup"
	case oidHrDeviceStatus:
		return "hrDeviceStatus"
	case oidEntSensorType:
		return "entPhySensorType"
	case oidEntSensorScale:
		return "entPhySensorScale"
	case oidEntSensorPrec:
		return "entPhySensorPrecision"
	case oidEntSensorValue:
		return "entPhySensorValue"
	case oidEntSensorStatus:
		return "entPhySensorOperStatus"
	}
	return ""
}
