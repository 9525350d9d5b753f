package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"noctop/model"
)

// `check --json` (DESIGN.md's shape, README's JSON section) is written
// asset by asset: the head, then one asset per line, then one service per
// line. Each element is compact JSON on its own line, so a script can also
// read the assets line by line; memory stays that of one asset.

// checkHead is the document's first keys.
type checkHead struct {
	Status    model.Status `json:"status"`
	CheckedAt time.Time    `json:"checked_at"`
	Config    string       `json:"config"`
	ICMPMode  string       `json:"icmp_mode"`
	Tally     model.Tally  `json:"tally"`
}

type assetReport struct {
	Name      string       `json:"name"`
	Layer     string       `json:"layer"`
	Kind      string       `json:"kind,omitempty"`
	Address   string       `json:"address,omitempty"`
	Status    model.Status `json:"status"`
	RootCause string       `json:"root_cause,omitempty"`
	Role      model.Role   `json:"role,omitempty"`
	Reason    string       `json:"reason,omitempty"`
	// Maintenance is the window the asset is in (absent outside one).
	Maintenance *maintenanceReport `json:"maintenance,omitempty"`
	Checks      []checkResult      `json:"checks"`
}

// maintenanceReport is model.Maintenance in the report's words.
type maintenanceReport struct {
	Window    string    `json:"window"`
	Reason    string    `json:"reason,omitempty"`
	By        string    `json:"by,omitempty"`
	From      time.Time `json:"from"`
	Until     time.Time `json:"until"`
	CoveredBy string    `json:"covered_by,omitempty"`
}

func newMaintenanceReport(m *model.Maintenance) *maintenanceReport {
	if m == nil {
		return nil
	}
	return &maintenanceReport{Window: m.Window, Reason: m.Reason, By: m.By, From: m.From, Until: m.Until, CoveredBy: m.CoveredBy}
}

type checkResult struct {
	Type       string             `json:"type"`
	Name       string             `json:"name"`
	Status     model.Status       `json:"status"`
	Summary    string             `json:"summary"`
	Metrics    map[string]float64 `json:"metrics"`
	Attrs      map[string]string  `json:"attrs,omitempty"`
	DurationMS float64            `json:"duration_ms"`
	// Primary names the metric that sums up the check; Units gives the
	// unit of each metric from its declaration (none for plain numbers and
	// codes).
	Primary string            `json:"primary"`
	Units   map[string]string `json:"units"`
	// Tables, in full (cmd_check_tables.go).
	Interfaces []interfaceRow `json:"interfaces,omitempty"`
	Host       *hostGauges    `json:"host,omitempty"`
	Profile    *profileTable  `json:"profile,omitempty"`
}

type serviceReport struct {
	Name   string       `json:"name"`
	Rule   string       `json:"rule"`
	Status model.Status `json:"status"`
	Reason string       `json:"reason,omitempty"`
	Up     int          `json:"up"`
	Total  int          `json:"total"`
}

// writeCheckJSON writes the run's report to w.
func writeCheckJSON(w io.Writer, r *checkRun) error {
	out := bufio.NewWriterSize(w, 64<<10)
	js := newJSONLines(out)
	head := checkHead{Status: r.status, CheckedAt: r.at, Config: r.config, ICMPMode: r.icmpMode, Tally: r.snap.Tally}
	b, err := js.marshal(head)
	if err != nil {
		return err
	}
	out.Write(b[:len(b)-1]) // the head's keys, its closing brace left for the end
	out.WriteString(`,` + "\n" + `"assets":[`)
	checks := make([]checkResult, 0, 4) // reused from asset to asset; [] for none, never null
	n := 0
	for a := range r.assets {
		checks = checks[:0]
		for _, c := range a.Checks {
			checks = append(checks, newCheckResult(c))
		}
		ar := assetReport{Name: a.Name, Layer: a.Layer, Kind: a.Kind, Address: a.Address,
			Status: a.Status, RootCause: a.RootCause, Role: a.Role, Reason: a.Reason, Maintenance: newMaintenanceReport(a.Maintenance), Checks: checks}
		if err := js.element(n, ar); err != nil {
			return err
		}
		n++
	}
	js.end(n)
	out.WriteString(`,` + "\n" + `"services":[`)
	for i, v := range r.snap.Services {
		sr := serviceReport{Name: v.Name, Rule: v.Rule, Status: v.Status, Reason: v.Reason, Up: v.Up, Total: v.Total}
		if err := js.element(i, sr); err != nil {
			return err
		}
	}
	js.end(len(r.snap.Services))
	out.WriteString("}\n")
	return out.Flush()
}

func newCheckResult(c *model.CheckState) checkResult {
	metrics := finiteMetrics(c.Metrics)
	return checkResult{Type: c.Type, Name: c.Name, Status: c.Status, Summary: c.Summary, Metrics: metrics,
		Primary: c.Primary, Units: metricUnits(c, metrics), Attrs: c.Attrs,
		DurationMS: float64(c.Duration) / float64(time.Millisecond),
		Interfaces: interfaceRows(c.Interfaces), Host: newHostGauges(c.Host), Profile: newProfileTable(c.Profile)}
}

// jsonLines writes the elements of a JSON array one per line.
type jsonLines struct {
	out *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

func newJSONLines(out *bufio.Writer) *jsonLines {
	j := &jsonLines{out: out}
	j.enc = json.NewEncoder(&j.buf)
	return j
}

// marshal encodes v compact into the reused buffer (valid until the next
// call), without the encoder's newline.
func (j *jsonLines) marshal(v any) ([]byte, error) {
	j.buf.Reset()
	if err := j.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")), nil
}

// element writes element i of an array, on its own line.
func (j *jsonLines) element(i int, v any) error {
	b, err := j.marshal(v)
	if err != nil {
		return err
	}
	if i > 0 {
		j.out.WriteByte(',')
	}
	j.out.WriteByte('\n')
	_, err = j.out.Write(b)
	return err
}

// end closes an array of n elements: "[]" when empty, the bracket on a
// line of its own otherwise.
func (j *jsonLines) end(n int) {
	if n > 0 {
		j.out.WriteByte('\n')
	}
	j.out.WriteByte(']')
}
