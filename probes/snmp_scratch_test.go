package probes

import (
	"context"
	"testing"
	"time"

	"noctop/model"
)

func TestScratchSNMP(t *testing.T) {
	d := startSNMPD(t, snmpdConf)
	p := NewSNMP()
	defer p.Close()
	n2 := 2
	for _, c := range []model.Check{
		{Type: "snmp", Name: "v2", Version: "2c", Community: model.NewSecret("public"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25, HostResources: true},
		{Type: "snmp", Name: "v3", Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"), PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "v3c", Version: "3", User: "ops256c", AuthProtocol: "SHA512", AuthPassword: model.NewSecret("authpass1"), PrivProtocol: "AES256C", PrivPassword: model.NewSecret("privpass1"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "v3wrong", Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("wrongpass"), PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "v3wrongpriv", Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"), PrivProtocol: "AES", PrivPassword: model.NewSecret("wrongpriv"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "v3user", Version: "3", User: "nobody", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "comm", Version: "2c", Community: model.NewSecret("wrong"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
		{Type: "snmp", Name: "v1", Version: "1", Community: model.NewSecret("public"), Port: d.port, SNMPRetries: &n2, MaxRepetitions: 25},
	} {
		a := &model.Asset{Name: "a", Address: "127.0.0.1"}
		for i := 0; i < 2; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			st := time.Now()
			out := p.Probe(ctx, Target{Asset: a, Check: &c})
			cancel()
			t.Logf("%s: %v %s (%v) %v ifs=%d notes=%v", c.Name, out.Status, out.Summary, time.Since(st), out.Metrics, len(out.Interfaces), out.Notes)
			if i == 1 {
				for _, it := range out.Interfaces {
					t.Logf("   %+v", it)
				}
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
}
