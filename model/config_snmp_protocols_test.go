package model

import (
	"os"
	"strings"
	"testing"
)

// Every canonical name is its own spelling; every alias (any case, without
// dashes, the spellings checks and trap users stored before issue 9,
// AES128) resolves to one; nothing else does.
func TestSNMPProtocolNames(t *testing.T) {
	for _, list := range []struct {
		names []string
		canon func(string) (string, bool)
	}{{SNMPAuthProtocols(), SNMPAuthProtocol}, {SNMPPrivProtocols(), SNMPPrivProtocol}} {
		for _, name := range list.names {
			for _, alias := range []string{name, strings.ToLower(name), strings.ReplaceAll(name, "-", ""),
				strings.ToLower(strings.ReplaceAll(name, "-", ""))} {
				if got, ok := list.canon(alias); !ok || got != name {
					t.Errorf("%q resolves to %q (%v), want %q", alias, got, ok, name)
				}
			}
		}
	}
	aliases := map[string]string{
		// What snmp checks stored (gosnmp's spelling).
		"SHA224": SNMPAuthSHA224, "SHA256": SNMPAuthSHA256, "SHA384": SNMPAuthSHA384, "SHA512": SNMPAuthSHA512,
		// net-snmp's and Cisco's spellings.
		"sha-256": SNMPAuthSHA256, "Sha-512": SNMPAuthSHA512, "md5": SNMPAuthMD5, "sha": SNMPAuthSHA,
	}
	for alias, want := range aliases {
		if got, ok := SNMPAuthProtocol(alias); !ok || got != want {
			t.Errorf("auth %q resolves to %q (%v), want %q", alias, got, ok, want)
		}
	}
	privAliases := map[string]string{
		"AES192": SNMPPrivAES192, "AES256": SNMPPrivAES256, "AES192C": SNMPPrivAES192C, "AES256C": SNMPPrivAES256C,
		"aes-256-c": SNMPPrivAES256C, "AES256-C": SNMPPrivAES256C, "AES128": SNMPPrivAES, "aes-128": SNMPPrivAES,
		"des": SNMPPrivDES,
	}
	for alias, want := range privAliases {
		if got, ok := SNMPPrivProtocol(alias); !ok || got != want {
			t.Errorf("priv %q resolves to %q (%v), want %q", alias, got, ok, want)
		}
	}
	for _, bad := range []string{"", "SHA1", "SHA3", "SHA-1024", "AES512", "MD5 ", "AES-192-D"} {
		if got, ok := SNMPAuthProtocol(bad); ok {
			t.Errorf("auth %q resolves to %q", bad, got)
		}
	}
	for _, bad := range []string{"", "3DES", "AES512", "AES-192-D", "AES-128-C", "DES "} {
		if got, ok := SNMPPrivProtocol(bad); ok {
			t.Errorf("priv %q resolves to %q", bad, got)
		}
	}
}

// Configs written with the old spellings (gosnmp's "SHA256" on checks,
// net-snmp's "SHA-256" on trap users) load, and both store the one
// canonical name; Encode writes it and the result loads again.
func TestLoadSNMPOldProtocolSpellings(t *testing.T) {
	src := `
[[asset]]
name = "sw1"
address = "127.0.0.1"

  [[asset.check]]
  type = "snmp"
  name = "gosnmp-spelling"
  version = "3"
  user = "ops"
  auth_protocol = "SHA256"
  auth_password = "authpass1"
  priv_protocol = "AES192C"
  priv_password = "privpass1"

  [[asset.check]]
  type = "snmp"
  name = "net-snmp-spelling"
  version = "3"
  user = "ops"
  auth_protocol = "SHA-256"
  auth_password = "authpass1"
  priv_protocol = "AES-192-C"
  priv_password = "privpass1"

[traps]
listen = "127.0.0.1:1162"

  [[traps.user]]
  user = "old"
  auth_protocol = "SHA-256"
  auth_password = "authpass1"
  priv_protocol = "AES-192"
  priv_password = "privpass1"

  [[traps.user]]
  user = "gosnmp"
  auth_protocol = "SHA512"
  auth_password = "authpass1"
  priv_protocol = "AES256C"
  priv_password = "privpass1"
`
	check := func(cfg *Config) {
		t.Helper()
		for _, c := range cfg.Assets[0].Checks {
			if c.AuthProtocol != SNMPAuthSHA256 || c.PrivProtocol != SNMPPrivAES192C {
				t.Errorf("check %s: %q %q, want SHA-256 AES-192-C", c.Name, c.AuthProtocol, c.PrivProtocol)
			}
		}
		u := cfg.Traps.Users
		if len(u) != 2 || u[0].AuthProtocol != SNMPAuthSHA256 || u[0].PrivProtocol != SNMPPrivAES192 ||
			u[1].AuthProtocol != SNMPAuthSHA512 || u[1].PrivProtocol != SNMPPrivAES256C {
			t.Errorf("trap users %+v", u)
		}
	}
	cfg, err := Parse("old.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check(cfg)
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "SHA-256") || strings.Contains(string(out), "SHA256") {
		t.Errorf("encoded:\n%s", out)
	}
	again, err := Parse("encoded.toml", out)
	if err != nil {
		t.Fatalf("encoded config does not load: %v\n%s", err, out)
	}
	check(again)
}

// config.example.toml (for checks and trap users) and README list the
// names errors list, in the same order.
func TestSNMPProtocolNamesDocumented(t *testing.T) {
	auth, priv := SNMPAuthProtocols(), SNMPPrivProtocols()
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(string(example), "\n") {
		key, comment, ok := strings.Cut(line, "#")
		if !ok {
			continue
		}
		for k, list := range map[string][]string{"auth_protocol": auth, "priv_protocol": priv} {
			if strings.HasPrefix(strings.TrimSpace(key), k+" ") {
				seen[k]++
				if !strings.Contains(comment, strings.Join(list, " ")) {
					t.Errorf("config.example.toml: %s does not list %s:\n%s", k, strings.Join(list, " "), line)
				}
			}
		}
	}
	if seen["auth_protocol"] != 2 || seen["priv_protocol"] != 2 {
		t.Errorf("config.example.toml documents auth_protocol %d times and priv_protocol %d times, want 2 each (check, trap user)",
			seen["auth_protocol"], seen["priv_protocol"])
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, list := range [][]string{auth, priv} {
		if want := strings.Join(list, ", "); !strings.Contains(text, want) {
			t.Errorf("README does not list %s", want)
		}
	}
}
