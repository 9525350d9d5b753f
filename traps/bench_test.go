package traps

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// benchReceiver is a bound receiver whose events go nowhere, so that the
// benchmarks measure the receiver's own work per datagram.
func benchReceiver(b *testing.B, rate float64, burst int) *Receiver {
	b.Helper()
	cfg := &model.Config{
		Assets: []model.Asset{{Name: "core-sw1", Address: "127.0.0.5"}},
		Traps: model.Traps{
			Listen: "127.0.0.1:0", Rate: rate, Burst: burst,
			Communities: []model.Secret{model.NewSecret("public")},
			Users: []model.TrapUser{{User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"),
				PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1")}},
		},
	}
	r, err := Listen(context.Background(), cfg, Options{Notify: func(model.Notice) error { return nil }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	return r
}

var benchVars = []gosnmp.SnmpPDU{
	{Name: "1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: "1.3.6.1.6.3.1.1.5.3"},
	{Name: "1.3.6.1.2.1.2.2.1.1.3", Type: gosnmp.Integer, Value: 3},
	{Name: "1.3.6.1.2.1.31.1.1.1.1.3", Type: gosnmp.OctetString, Value: "Gi0/3"},
}

// v3Datagram sends one authPriv trap with gosnmp and returns the bytes.
func v3Datagram(b testing.TB) []byte {
	b.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer pc.Close()
	g := &gosnmp.GoSNMP{
		Target: "127.0.0.1", Port: uint16(pc.LocalAddr().(*net.UDPAddr).Port), Version: gosnmp.Version3,
		Timeout: time.Second, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.AuthPriv,
		SecurityParameters: &gosnmp.UsmSecurityParameters{
			UserName: "ops", AuthoritativeEngineID: "\x80\x00\x1f\x88\x80\x01\x02\x03\x04",
			AuthenticationProtocol: gosnmp.SHA, AuthenticationPassphrase: "authpass1",
			PrivacyProtocol: gosnmp.AES, PrivacyPassphrase: "privpass1",
		},
	}
	if err := g.Connect(); err != nil {
		b.Fatal(err)
	}
	defer g.Conn.Close()
	if _, err := g.SendTrap(gosnmp.SnmpTrap{Variables: benchVars}); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1500)
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := pc.ReadFrom(buf)
	if err != nil {
		b.Fatal(err)
	}
	return buf[:n]
}

func benchHandle(b *testing.B, r *Receiver, msg []byte, check func(Stats) bool) {
	src := netip.MustParseAddrPort("127.0.0.5:40000")
	work := make([]byte, len(msg))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, msg) // v3 authentication blanks the digest in place
		r.handle(work, src, time.Now())
	}
	if !check(r.Stats()) {
		b.Fatalf("stats %+v", r.Stats())
	}
}

func BenchmarkHandle(b *testing.B) {
	b.Run("v2c accepted", func(b *testing.B) {
		r := benchReceiver(b, 1e9, 1e9)
		msg, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}).SnmpEncodePacket(gosnmp.SNMPv2Trap, benchVars, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		benchHandle(b, r, msg, func(s Stats) bool { return s.Accepted == s.Received })
	})
	b.Run("v3 authPriv accepted", func(b *testing.B) {
		r := benchReceiver(b, 1e9, 1e9)
		benchHandle(b, r, v3Datagram(b), func(s Stats) bool { return s.Accepted == s.Received })
	})
	b.Run("v2c wrong community", func(b *testing.B) {
		r := benchReceiver(b, 1e9, 1e9)
		msg, err := (&gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "private"}).SnmpEncodePacket(gosnmp.SNMPv2Trap, benchVars, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		benchHandle(b, r, msg, func(s Stats) bool { return s.AuthFailed == s.Received })
	})
	b.Run("rate limited", func(b *testing.B) {
		r := benchReceiver(b, 1e-9, 1)
		msg := v3Datagram(b)
		benchHandle(b, r, msg, func(s Stats) bool { return s.Accepted <= 1 })
	})
}
