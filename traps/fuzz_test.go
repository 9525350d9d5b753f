package traps

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// FuzzDecode feeds arbitrary datagrams to authentication, decoding and
// summary: nothing may panic, what is rejected has a bounded reason, and
// what is accepted must be a trap with a bounded summary.
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
	for _, seed := range [][]byte{v2c, v1msg, v3Datagram(f), {0x30, 0x00}, []byte("hello"),
		v3Message([]byte("\x80\x00\x1f\x88\x80\x01\x02\x03\x04"), bytes.Repeat([]byte("u"), 1000), flagAuth|flagPriv)} {
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
			var rej *rejection
			if !errors.As(err, &rej) || rej.reason == "" || strings.Contains(rej.reason, "panic") {
				t.Fatalf("error %v is not a rejection with a reason", err)
			}
			if len(rej.reason) > len(model.Clip(strings.Repeat("x", 1<<20), model.MaxNetText)) {
				t.Fatalf("reason of %d bytes: %.300q", len(rej.reason), rej.reason)
			}
			return
		}
		tr, ok := toTrap(p)
		if !ok {
			return
		}
		// Every piece is clipped: an OID, and up to three names and
		// values, quoted (at most 2.5 bytes a byte).
		s := tr.summary()
		if s == "" || len(s) > 2*maxSummary {
			t.Fatalf("accepted trap with a summary of %d bytes: %.300q", len(s), s)
		}
	})
}

// FuzzReadHeader feeds arbitrary datagrams to the header decoder, which
// reads what anyone may send before it is authenticated: nothing may
// panic, no field it keeps may exceed its protocol limit, and a field
// over its limit must be an error, never cut and taken (a cut user name
// could name a configured user).
func FuzzReadHeader(f *testing.F) {
	// Seeds are in testdata/fuzz/FuzzReadHeader: v1, v2c and v3 headers,
	// and each field at and over its limit.
	f.Fuzz(func(t *testing.T, msg []byte) {
		h, err := readHeader(msg)
		if len(h.user) > maxUser || len(h.engineID) > maxEngineID || len(h.community) > maxCommunity {
			t.Fatalf("header over the limits: user %d, engine ID %d, community %d octets",
				len(h.user), len(h.engineID), len(h.community))
		}
		if err != nil {
			return
		}
		switch {
		case h.version == 3 && h.secModel == usmModel:
			if !bytes.Contains(msg, []byte(h.user)) || !bytes.Contains(msg, []byte(h.engineID)) {
				t.Fatalf("user %q or engine ID %q is not in the message", h.user, h.engineID)
			}
		case h.version != 3 && !bytes.Contains(msg, h.community):
			t.Fatalf("community %q is not in the message", h.community)
		}
	})
}

// TestHeaderLimits pins each limit: a field at its limit is read whole,
// one octet more is an error naming the field.
func TestHeaderLimits(t *testing.T) {
	engineID := []byte("\x80\x00\x1f\x88\x80\x01\x02\x03\x04")
	user32 := bytes.Repeat([]byte("u"), maxUser)
	h, err := readHeader(v3Message(engineID, user32, flagAuth))
	if err != nil || h.user != string(user32) {
		t.Errorf("32-octet user: %q, %v", h.user, err)
	}
	long := bytes.Repeat([]byte("u"), 65400)
	if h, err := readHeader(v3Message(engineID, long, flagAuth)); !errors.Is(err, errLongUser) || h.user != "" {
		t.Errorf("64 KB user: %q, %v; want errLongUser", h.user, err)
	}
	if h, err := readHeader(v3Message(bytes.Repeat([]byte{0x80}, maxEngineID+1), []byte("ops"), flagAuth)); !errors.Is(err, errLongEngineID) || h.engineID != "" {
		t.Errorf("33-octet engine ID: %q, %v; want errLongEngineID", h.engineID, err)
	}
	c255 := bytes.Repeat([]byte("c"), maxCommunity)
	if h, err := readHeader(communityMessage(1, c255)); err != nil || !bytes.Equal(h.community, c255) {
		t.Errorf("255-octet community: %d octets, %v", len(h.community), err)
	}
	if h, err := readHeader(communityMessage(1, append(c255, 'c'))); !errors.Is(err, errLongCommunity) || h.community != nil {
		t.Errorf("256-octet community: %d octets, %v; want errLongCommunity", len(h.community), err)
	}

	// What operators read: a bounded reason that says what is wrong.
	a, err := newAuth(&model.Traps{Communities: []model.Secret{model.NewSecret("public")}})
	if err != nil {
		t.Fatal(err)
	}
	for msg, want := range map[string]string{
		string(v3Message(engineID, long, flagAuth)):                      "v3 user name longer than 32 octets: not a USM user (RFC 3414)",
		string(v3Message(engineID, user32, flagAuth)):                    `unknown v3 user "` + string(user32) + `"`,
		string(communityMessage(1, bytes.Repeat([]byte("c"), 60000))):    "wrong community (longer than 255 octets)",
		string(v3Message(bytes.Repeat([]byte{1}, 40), user32, flagAuth)): "v3 engine ID longer than 32 octets (RFC 3411)",
	} {
		_, err := a.decode([]byte(msg))
		var rej *rejection
		if !errors.As(err, &rej) || rej.reason != want {
			t.Errorf("decode: %v, want %q", err, want)
		}
	}
}

// A configured user or community that the wire could never carry is a
// configuration error, not a receiver that drops every trap.
func TestNewAuthLimits(t *testing.T) {
	_, err := newAuth(&model.Traps{Communities: []model.Secret{model.NewSecret(strings.Repeat("c", maxCommunity+1))}})
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "longer than 255 octets") {
		t.Errorf("256-octet community: %v", err)
	}
	_, err = newAuth(&model.Traps{Users: []model.TrapUser{{User: strings.Repeat("u", maxUser+1), AuthProtocol: "SHA",
		AuthPassword: model.NewSecret("authpass1")}}})
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "longer than 32 octets") {
		t.Errorf("33-octet user: %v", err)
	}
}
