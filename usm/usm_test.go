package usm

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// Every name model lists maps to the gosnmp constant of that name (gosnmp
// spells them without dashes), no two to the same one; each alias maps as
// its name does.
func TestEveryNameMaps(t *testing.T) {
	seenAuth := map[gosnmp.SnmpV3AuthProtocol]string{}
	for _, name := range model.SNMPAuthProtocols() {
		p, err := Auth(name)
		if err != nil {
			t.Fatalf("Auth(%q): %v", name, err)
		}
		if want := strings.ReplaceAll(name, "-", ""); p.String() != want {
			t.Errorf("Auth(%q) = %v, want %s", name, p, want)
		}
		if other, dup := seenAuth[p]; dup {
			t.Errorf("%q and %q both map to %v", name, other, p)
		}
		seenAuth[p] = name
		for _, alias := range aliases(name) {
			if q, err := Auth(alias); err != nil || q != p {
				t.Errorf("Auth(%q) = %v, %v; want %v like %q", alias, q, err, p, name)
			}
		}
	}
	seenPriv := map[gosnmp.SnmpV3PrivProtocol]string{}
	for _, name := range model.SNMPPrivProtocols() {
		p, err := Priv(name)
		if err != nil {
			t.Fatalf("Priv(%q): %v", name, err)
		}
		if want := strings.ReplaceAll(name, "-", ""); p.String() != want {
			t.Errorf("Priv(%q) = %v, want %s", name, p, want)
		}
		if other, dup := seenPriv[p]; dup {
			t.Errorf("%q and %q both map to %v", name, other, p)
		}
		seenPriv[p] = name
		for _, alias := range aliases(name) {
			if q, err := Priv(alias); err != nil || q != p {
				t.Errorf("Priv(%q) = %v, %v; want %v like %q", alias, q, err, p, name)
			}
		}
		got, err := PrivReceived(name)
		if err != nil || len(got) == 0 || got[0] != p {
			t.Errorf("PrivReceived(%q) = %v, %v; want %v first", name, got, err, p)
		}
	}
	if p, err := Priv("aes128"); err != nil || p != gosnmp.AES {
		t.Errorf("Priv(aes128) = %v, %v", p, err)
	}
	if a, err := Auth(""); err != nil || a != gosnmp.NoAuth {
		t.Errorf("Auth(\"\") = %v, %v", a, err)
	}
	if p, err := Priv(""); err != nil || p != gosnmp.NoPriv {
		t.Errorf("Priv(\"\") = %v, %v", p, err)
	}
}

func aliases(name string) []string {
	bare := strings.ReplaceAll(name, "-", "")
	return []string{strings.ToLower(name), bare, strings.ToLower(bare)}
}

// A receiver set to AES-192 or AES-256 tries both key extensions; the
// Reeder names and the others are one protocol.
func TestPrivReceived(t *testing.T) {
	for name, want := range map[string][]gosnmp.SnmpV3PrivProtocol{
		model.SNMPPrivAES192:  {gosnmp.AES192, gosnmp.AES192C},
		model.SNMPPrivAES256:  {gosnmp.AES256, gosnmp.AES256C},
		model.SNMPPrivAES192C: {gosnmp.AES192C},
		model.SNMPPrivAES256C: {gosnmp.AES256C},
		model.SNMPPrivAES:     {gosnmp.AES},
		model.SNMPPrivDES:     {gosnmp.DES},
		"":                    {gosnmp.NoPriv},
	} {
		got, err := PrivReceived(name)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("PrivReceived(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
}

// An unknown name is model.ErrInvalid and the message lists the names the
// loader lists.
func TestUnknownName(t *testing.T) {
	_, err := Auth("SHA1")
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), `auth_protocol "SHA1": want one of `+strings.Join(model.SNMPAuthProtocols(), ", ")) {
		t.Errorf("Auth(SHA1): %v", err)
	}
	for _, f := range []func(string) error{
		func(s string) error { _, err := Priv(s); return err },
		func(s string) error { _, err := PrivReceived(s); return err },
	} {
		err := f("3DES")
		if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), `priv_protocol "3DES": want one of `+strings.Join(model.SNMPPrivProtocols(), ", ")) {
			t.Errorf("3DES: %v", err)
		}
	}
}
