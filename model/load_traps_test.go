package model

import (
	"errors"
	"strings"
	"testing"
)

// Each traps_*.toml under testdata/config holds one problem of [traps].
func TestLoadTrapErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"traps_no_listen", ErrMissing, "1:2", "traps: no listen address"},
		{"traps_bad_listen", ErrInvalid, "2:15", `listen "localhost:162": the host must be an IP address`},
		{"traps_no_credentials", ErrMissing, "2:10", "no communities and no [[traps.user]]"},
		{"traps_empty_community", ErrInvalid, "3:26", "communities: must not be empty"},
		{"traps_duplicate_community", ErrInvalid, "3:26", "the same community is listed twice"},
		{"traps_long_community", ErrInvalid, "3:26", "communities: longer than 255 octets"},
		{"traps_long_user", ErrInvalid, "5:17", "user: longer than 32 octets"},
		{"traps_bad_secret", ErrSecret, "3:16", "NOCTOP_TEST_NO_SUCH_COMMUNITY is not set"},
		{"traps_bad_rate", ErrInvalid, "4:15", "rate: want more than 0"},
		{"traps_bad_burst", ErrInvalid, "4:15", "burst: want 1 to 1000000 traps, got -5"},
		{"traps_missing_user", ErrMissing, "4:5", "[[traps.user]] has no user"},
		{"traps_no_auth_protocol", ErrMissing, "4:5", `trap user "ops" has no auth_protocol`},
		{"traps_bad_auth_protocol", ErrInvalid, "6:19", `auth_protocol "SHA3": want one of MD5, SHA, SHA-224`},
		{"traps_no_auth_password", ErrMissing, "4:5", `trap user "ops" has no auth_password`},
		{"traps_short_password", ErrInvalid, "7:19", "auth_password: want at least 8 characters, got 5"},
		{"traps_bad_priv_protocol", ErrInvalid, "8:19", `priv_protocol "3DES": want one of DES, AES, AES-192, AES-256, AES-192-C, AES-256-C`},
		{"traps_no_priv_password", ErrMissing, "4:5", `trap user "ops" has no priv_password`},
		{"traps_priv_without_protocol", ErrInvalid, "8:3", "priv_password is set but priv_protocol is not"},
	}
	checkLoadErrors(t, tests)
}

// A valid [traps] section: protocol names are made canonical, secrets are
// resolved, the rate limit defaults apply, and no section means no receiver.
func TestLoadTraps(t *testing.T) {
	t.Setenv("NOCTOP_TEST_TRAP_COMMUNITY", "s3cret-community")
	src := `
[traps]
listen      = "127.0.0.1:1162"
communities = ["public", "env:NOCTOP_TEST_TRAP_COMMUNITY"]

  [[traps.user]]
  user          = "ops"
  auth_protocol = "sha256"
  auth_password = "authpass1"
  priv_protocol = "aes-256"
  priv_password = "privpass1"

  [[traps.user]]
  user          = "ro"
  auth_protocol = "md5"
  auth_password = "authpass2"
`
	cfg, err := Parse("traps.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tr := cfg.Traps
	if !tr.Enabled() || tr.Listen != "127.0.0.1:1162" || tr.Rate != DefaultTrapRate || tr.Burst != DefaultTrapBurst {
		t.Errorf("traps = %+v", tr)
	}
	if len(tr.Communities) != 2 || tr.Communities[1].Value() != "s3cret-community" || tr.Communities[0].String() != "****" {
		t.Errorf("communities = %v", tr.Communities)
	}
	u := tr.Users
	if len(u) != 2 || u[0].AuthProtocol != "SHA-256" || u[0].PrivProtocol != "AES-256" || u[0].AuthPassword.Value() != "authpass1" ||
		u[1].AuthProtocol != "MD5" || u[1].PrivProtocol != "" {
		t.Errorf("users = %+v", u)
	}

	cfg, err = Parse("none.toml", []byte("[[asset]]\nname = \"a\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Traps.Enabled() || cfg.Traps.Rate != 0 {
		t.Errorf("no [traps]: %+v, want the receiver off", cfg.Traps)
	}
	// Off, it round-trips through Encode without a [traps] table.
	out, err := Encode(cfg)
	if err != nil || strings.Contains(string(out), "traps") {
		t.Errorf("Encode wrote %q (err %v)", out, err)
	}
}

// A rate given explicitly is kept, fractions too; every error of a bad
// section comes at once.
func TestLoadTrapRateAndManyErrors(t *testing.T) {
	cfg, err := Parse("r.toml", []byte("[traps]\nlisten = \":162\"\ncommunities = [\"public\"]\nrate = 0.5\nburst = 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Traps.Rate != 0.5 || cfg.Traps.Burst != 3 {
		t.Errorf("rate %v burst %d", cfg.Traps.Rate, cfg.Traps.Burst)
	}
	_, err = Parse("m.toml", []byte("[traps]\nlisten = \"127.0.0.1\"\nrate = -1\ncomunities = [\"x\"]\n"))
	var errs ConfigErrors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("want 4 errors, got:\n%v", err)
	}
	for i, want := range []string{
		`m.toml:2:10: listen "127.0.0.1": want host:port`,
		"m.toml:2:10: traps: no communities and no [[traps.user]]",
		"m.toml:3:8: rate: want more than 0",
		`m.toml:4:1: unknown key "comunities" in traps (did you mean "communities"?)`,
	} {
		if !strings.HasPrefix(errs[i].Error(), want) {
			t.Errorf("error %d = %q, want %q...", i, errs[i], want)
		}
	}
}

// [[traps.user]] without a [traps] header still turns the receiver on, so
// it needs a listen address like any [traps] (it used to load, silently
// off).
func TestLoadTrapUserAloneNeedsListen(t *testing.T) {
	_, err := Parse("u.toml", []byte("[[traps.user]]\nuser = \"ops\"\nauth_protocol = \"SHA\"\nauth_password = \"authpass1\"\n"))
	var errs ConfigErrors
	if !errors.As(err, &errs) || len(errs) != 1 || !errors.Is(err, ErrMissing) {
		t.Fatalf("want one missing-listen error, got %v", err)
	}
	if got := errs[0].Error(); !strings.HasPrefix(got, "u.toml:1:3: traps: no listen address") {
		t.Errorf("got %q", got)
	}
}
