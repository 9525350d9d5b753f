package traps

import (
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// FuzzDecode feeds arbitrary datagrams to authentication, decoding and
// summary: nothing may panic, and what is accepted must be a trap with a
// summary.
func FuzzDecode(f *testing.F) {
	v2c, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}).SnmpEncodePacket(gosnmp.SNMPv2Trap, benchVars, 0, 0)
	if err != nil {
		f.Fatal(err)
	}
	v1 := &gosnmp.GoSNMP{Version: gosnmp.Version1, Community: "public"}
	p := v1.MkSnmpPacket(gosnmp.Trap, benchVars[1:], 0, 0)
	p.Enterprise, p.AgentAddress, p.GenericTrap = ".1.3.6.1.4.1.8072", "127.0.0.6", 2
	v1msg, err := p.MarshalMsg()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{v2c, v1msg, v3Datagram(f), {0x30, 0x00}, []byte("hello")} {
		f.Add(seed)
	}
	a, err := newAuth(&model.Traps{
		Communities: []model.Secret{model.NewSecret("public")},
		Users: []model.TrapUser{{User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"),
			PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1")}},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		p, err := a.decode(msg)
		if err != nil {
			if rej, ok := err.(*rejection); !ok || rej.reason == "" || strings.Contains(rej.reason, "panic") {
				t.Fatalf("error %v is not a rejection with a reason", err)
			}
			return
		}
		if tr, ok := toTrap(p); ok && tr.summary() == "" {
			t.Fatal("accepted trap without a summary")
		}
	})
}
