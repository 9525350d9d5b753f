package metrics

import (
	"strings"
	"testing"

	"noctop/model"
)

// Interface names come from SNMP agents: whatever they are (invalid
// UTF-8, huge, repeated, empty, colliding with another's " #N" suffix),
// a scrape succeeds with one series per interface and direction.
func FuzzInterfaceNames(f *testing.F) {
	f.Add("Gi0/1\nGi0/1\nGi0/1 #2", uint8(1))
	f.Add("\xff\xfe\n\n"+strings.Repeat("x", 300), uint8(0))
	f.Add(strings.Repeat("a", 64)+"1\n"+strings.Repeat("a", 64)+"2", uint8(7))
	f.Fuzz(func(t *testing.T, names string, first uint8) {
		var ifs []model.Interface
		for i, n := range strings.Split(names, "\n") {
			idx := int(first) + i%3 // indexes repeat too
			ifs = append(ifs, model.Interface{Index: idx, Name: n, InBps: float64(i)})
		}
		if len(ifs) > 200 {
			ifs = ifs[:200]
		}
		snap := &model.Snapshot{Assets: []*model.AssetState{{Name: "sw", Layer: model.LayerTechnical,
			Checks: []*model.CheckState{
				{Asset: "sw", Name: "snmp", Type: model.CheckSNMP, Interfaces: ifs},
				{Asset: "sw", Name: "snmp2", Type: model.CheckSNMP, Interfaces: ifs}, // a second table of the same names
			}}}}
		reg, err := NewRegistry(Options{Latest: func() *model.Snapshot { return snap }})
		if err != nil {
			t.Fatal(err)
		}
		fams, err := reg.Gather()
		if err != nil {
			t.Fatalf("gather: %v", err)
		}
		for _, fam := range fams {
			if fam.GetName() == "noctop_interface_bits_per_second" {
				if got, want := len(fam.GetMetric()), 2*2*len(ifs); got != want {
					t.Fatalf("%d series for %d interfaces in two tables", got, len(ifs))
				}
				for _, m := range fam.GetMetric() {
					for _, l := range m.GetLabel() {
						if l.GetName() == "interface" && len(l.GetValue()) > maxIfName+32 {
							t.Fatalf("label of %d bytes", len(l.GetValue()))
						}
					}
				}
			}
		}
	})
}
