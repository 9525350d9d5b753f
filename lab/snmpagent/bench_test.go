package snmpagent

import (
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// probeColumns are the ifTable and ifXTable columns an interface probe
// needs: names, speeds, states, octets, errors and discards.
var probeColumns = []string{
	OIDIfEntry + ".2", OIDIfEntry + ".5", OIDIfEntry + ".7", OIDIfEntry + ".8",
	OIDIfEntry + ".10", OIDIfEntry + ".13", OIDIfEntry + ".14", OIDIfEntry + ".16",
	OIDIfEntry + ".19", OIDIfEntry + ".20",
	OIDIfXEntry + ".1", OIDIfXEntry + ".6", OIDIfXEntry + ".10", OIDIfXEntry + ".15", OIDIfXEntry + ".18",
}

// allColumns are every ifTable and ifXTable column the agent serves.
var allColumns = []string{
	OIDIfEntry + ".1", OIDIfEntry + ".2", OIDIfEntry + ".3", OIDIfEntry + ".4", OIDIfEntry + ".5",
	OIDIfEntry + ".6", OIDIfEntry + ".7", OIDIfEntry + ".8", OIDIfEntry + ".9", OIDIfEntry + ".10",
	OIDIfEntry + ".11", OIDIfEntry + ".13", OIDIfEntry + ".14", OIDIfEntry + ".16", OIDIfEntry + ".17",
	OIDIfEntry + ".19", OIDIfEntry + ".20",
	OIDIfXEntry + ".1", OIDIfXEntry + ".6", OIDIfXEntry + ".10", OIDIfXEntry + ".15", OIDIfXEntry + ".18",
}

// BenchmarkSNMPAgentGetBulk is the agent's CPU per GETBULK of 48
// interfaces: decode, look up, compute, encode (and for v3 authenticate
// and encrypt), in process, without the socket.
func BenchmarkSNMPAgentGetBulk(b *testing.B) {
	d := testDevice(b, Options{Users: fuzzUsers, Clock: time.Now, Spec: DeviceSpec{Interfaces: 48}})
	boots, etime := d.engineClock()
	for _, c := range []struct {
		name string
		cols []string
		v3   bool
	}{
		{"v2c/probe-15-columns", probeColumns, false},
		{"v2c/all-22-columns", allColumns, false},
		{"v3-authPriv-SHA-AES/probe-15-columns", probeColumns, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			vbs := make([]gosnmp.SnmpPDU, len(c.cols))
			for i, o := range c.cols {
				vbs[i] = gosnmp.SnmpPDU{Name: o, Type: gosnmp.Null}
			}
			g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
			if c.v3 {
				u := fuzzUsers[0]
				sp := &gosnmp.UsmSecurityParameters{UserName: u.Name, AuthenticationProtocol: u.AuthProtocol, AuthenticationPassphrase: u.AuthPassword,
					PrivacyProtocol: u.PrivProtocol, PrivacyPassphrase: u.PrivPassword,
					AuthoritativeEngineID: d.usm.engineID, AuthoritativeEngineBoots: boots, AuthoritativeEngineTime: etime}
				if err := sp.InitSecurityKeys(); err != nil {
					b.Fatal(err)
				}
				g = &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.AuthPriv,
					SecurityParameters: sp, ContextEngineID: d.usm.engineID}
			}
			req, err := g.SnmpEncodePacket(gosnmp.GetBulkRequest, vbs, 0, 48)
			if err != nil {
				b.Fatal(err)
			}
			sc := &scratch{}
			msg := make([]byte, len(req))
			copy(msg, req)
			resp := d.handle(msg, sc)
			if resp == nil {
				b.Fatal("no answer")
			}
			b.SetBytes(int64(len(resp)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				copy(msg, req) // v3 decoding works in place
				if d.handle(msg, sc) == nil {
					b.Fatal("no answer")
				}
			}
			b.ReportMetric(float64(48*len(c.cols)), "varbinds/op")
		})
	}
}
