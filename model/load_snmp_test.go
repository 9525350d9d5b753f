package model

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// Each snmp_*.toml under testdata/config holds one snmp problem; the loader
// must name the right sentinel at the exact place, with a message saying
// what.
func TestLoadSNMPErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"snmp_bad_version", ErrInvalid, "7:13", `version "2": want "1", "2c" or "3"`},
		{"snmp_v3_key_on_v2c", ErrInvalid, "8:3", "user is for SNMPv3 and this check uses version 2c"},
		{"snmp_community_on_v3", ErrInvalid, "9:3", "community is for versions 1 and 2c"},
		{"snmp_empty_community", ErrInvalid, "7:15", "community: must not be empty"},
		{"snmp_no_user", ErrMissing, "7:13", `snmp check "snmp" uses version 3 but has no user`},
		{"snmp_long_user", ErrInvalid, "8:10", "user: longer than 32 octets"},
		{"snmp_bad_auth_protocol", ErrInvalid, "9:19", `auth_protocol "SHA1": want one of MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512`},
		{"snmp_bad_priv_protocol", ErrInvalid, "11:19", `priv_protocol "3DES": want one of DES, AES, AES-192, AES-256, AES-192-C, AES-256-C`},
		{"snmp_short_password", ErrInvalid, "10:19", "auth_password: want at least 8 characters (RFC 3414), got 5"},
		{"snmp_auth_no_password", ErrMissing, "9:19", "auth_protocol MD5 needs auth_password"},
		{"snmp_password_no_protocol", ErrMissing, "9:3", "auth_password is set but auth_protocol is not"},
		{"snmp_priv_no_auth", ErrInvalid, "9:3", "priv_protocol needs auth_protocol"},
		{"snmp_priv_no_password", ErrMissing, "11:19", "priv_protocol AES-256-C needs priv_password"},
		{"snmp_max_repetitions_v1", ErrInvalid, "8:3", "SNMPv1 has no GETBULK"},
		{"snmp_bad_max_repetitions", ErrInvalid, "7:21", "max_repetitions: want 1 to 1000, got 0"},
		{"snmp_bad_retries", ErrInvalid, "7:18", "snmp_retries: want 0 to 10, got 20"},
		{"snmp_bad_interface_regex", ErrInvalid, "7:28", "interfaces.include: error parsing regexp: missing closing )"},
		{"snmp_bad_oid", ErrInvalid, "7:34", `oids.0.oid "1.3.6.x.4": want dotted numbers`},
		{"snmp_oid_no_oid", ErrMissing, "7:11", "oids.0 has no oid"},
		{"snmp_oid_no_name", ErrMissing, "7:11", "oids.0 has no name"},
		{"snmp_oid_bad_name", ErrInvalid, "7:20", `oids.0.name "inlet temp": want a letter`},
		{"snmp_oid_reserved_name", ErrInvalid, "7:20", `oids.0.name "uptime_s" is a metric snmp checks report themselves`},
		{"snmp_oid_duplicate", ErrDuplicateName, "9:14", `duplicate oid name "temp" in check "snmp" (first at line 8)`},
		{"snmp_oid_expect_threshold", ErrInvalid, "7:61", "expect compares a string, warn/crit judge a number"},
		{"snmp_oid_expect_rate", ErrInvalid, "7:75", "it cannot be compared with expect"},
		{"snmp_oid_below_alone", ErrInvalid, "7:63", "below needs warn or crit"},
		{"snmp_oid_order", ErrThresholdOrder, "7:70", "warn 10% is worse than crit 30% (this value is bad when low"},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "config", "snmp_*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d snmp_*.toml files but %d cases: every file needs a case", len(files), len(tests))
	}
	checkLoadErrors(t, tests)
}

// Defaults fill an snmp check, protocol names are stored in their
// canonical spelling, 0 retries stays 0, and oids may be written as tables.
func TestLoadSNMPValid(t *testing.T) {
	src := `
[[asset]]
name = "sw1"
address = "127.0.0.1"

  [[asset.check]]
  type = "snmp"

  [[asset.check]]
  type = "snmp"
  name = "v3"
  version = "3"
  user = "ops"
  auth_protocol = "sha-256"
  auth_password = "authpass1"
  priv_protocol = "aes-256-c"
  priv_password = "privpass1"
  snmp_retries = 0
  port = 16161
  cpu = { warn = 80 }

    [[asset.check.oids]]
    name = "battery"
    oid = ".1.3.6.1.2.1.33.1.2.4.0"
    warn = 50
    crit = 20
    below = true

  [[asset.check]]
  type = "snmp"
  name = "v1"
  version = "1"
  community = "env:NOCTOP_TEST_COMMUNITY"
`
	t.Setenv("NOCTOP_TEST_COMMUNITY", "s3cret")
	cfg, err := Parse("snmp.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Assets[0].Checks
	def := c[0]
	if def.Version != "2c" || def.Community.Value() != "public" || def.Port != 161 ||
		def.SNMPRetries == nil || *def.SNMPRetries != 2 || def.MaxRepetitions != 25 {
		t.Errorf("defaults: version %q community %q port %d retries %v max_repetitions %d",
			def.Version, def.Community.Value(), def.Port, def.SNMPRetries, def.MaxRepetitions)
	}
	v3 := c[1]
	if v3.AuthProtocol != SNMPAuthSHA256 || v3.PrivProtocol != SNMPPrivAES256C {
		t.Errorf("protocols %q %q, want SHA-256 AES-256-C", v3.AuthProtocol, v3.PrivProtocol)
	}
	if v3.Community.Value() != "" {
		t.Errorf("a v3 check got community %q", v3.Community.Value())
	}
	if *v3.SNMPRetries != 0 || v3.Port != 16161 {
		t.Errorf("snmp_retries %d port %d, want 0 and 16161", *v3.SNMPRetries, v3.Port)
	}
	if len(v3.OIDs) != 1 || !v3.OIDs[0].Below || v3.OIDs[0].Threshold().Eval(15) != StatusCritical {
		t.Errorf("oids: %+v", v3.OIDs)
	}
	if c[2].Community.Value() != "s3cret" || c[2].Community.String() != "env:NOCTOP_TEST_COMMUNITY" {
		t.Errorf("v1 community %q (%s)", c[2].Community.Value(), c[2].Community)
	}
	// The key list names every key an snmp check takes.
	if keys := CheckKeys(CheckSNMP); len(keys) != len(commonCheckKeys())+21 {
		t.Errorf("CheckKeys(snmp) = %v", keys)
	}
}

// A key of another type on an snmp check, and an snmp key elsewhere, are
// both refused with the list of keys the type takes.
func TestSNMPKeysForType(t *testing.T) {
	for _, tc := range []struct{ typ, key, want string }{
		{"snmp", `url = "http://127.0.0.1/"`, `key "url" is not valid for snmp checks (snmp takes version, community`},
		{"icmp", `community = "public"`, `key "community" is not valid for icmp checks`},
		{"snmp", `swap = { warn = 50 }`, `key "swap" is not valid for snmp checks`},
	} {
		src := "[[asset]]\nname = \"a\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"" + tc.typ + "\"\n" + tc.key + "\n"
		_, err := Parse("k.toml", []byte(src))
		if !errors.Is(err, ErrNotForType) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s on %s: err = %v, want ErrNotForType saying %q", tc.key, tc.typ, err, tc.want)
		}
	}
}

func TestValidOIDAndMetricName(t *testing.T) {
	for oid, want := range map[string]bool{
		".1.3.6.1.2.1.1.3.0": true, "1.3.6.1": true, "2.100.3": true,
		"1": false, "3.1": false, "1.40": false, "1..3": false, "+1.3": false, "1.3.": false,
		"1.3.4294967296": false, "1.3.x": false, "": false,
	} {
		if got := validOID(oid); got != want {
			t.Errorf("validOID(%q) = %v, want %v", oid, got, want)
		}
	}
	for name, want := range map[string]bool{
		"ups_battery": true, "a1": true, "A": true,
		"_a": false, "1a": false, "": false, "inlet temp": false, "é": false, "a-b": false,
	} {
		if got := metricName(name); got != want {
			t.Errorf("metricName(%q) = %v, want %v", name, got, want)
		}
	}
}
