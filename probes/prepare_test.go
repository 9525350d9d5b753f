package probes

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

// prepareAll prepares every check of cfg with s and returns the errors,
// each naming its check.
func prepareAll(s *Set, cfg *model.Config) []error {
	var errs []error
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			if _, err := s.Prepare(Target{Asset: a, Check: c}); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", a.Key(c), err))
			}
		}
	}
	return errs
}

// Every config that loads prepares: the testdata configs of the loader's
// tests that load, the documented example, the built-in config and the
// lab's (every kind of check, CA file included).
func TestPrepareAcceptsEveryLoadedConfig(t *testing.T) {
	l := startLab(t)
	labConfig := filepath.Join(t.TempDir(), "lab.toml")
	if err := l.WriteConfig(labConfig); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NOCTOP_TEST_TOKEN", "s3cret") // valid.toml's header secret
	t.Chdir("../model")                     // the testdata configs name files relative to it
	files, err := filepath.Glob("testdata/config/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../config.example.toml", labConfig)
	s := NewSet()
	defer s.Close()
	loaded := 0
	for _, f := range files {
		cfg, err := model.Load(f)
		if err != nil {
			continue // the loader's error cases
		}
		loaded++
		for _, err := range prepareAll(s, cfg) {
			t.Errorf("%s loads, but %v", f, err)
		}
	}
	for _, err := range prepareAll(s, model.Builtin()) {
		t.Errorf("built-in config: %v", err)
	}
	if loaded < 3 {
		t.Errorf("only %d configs loaded: valid.toml, the example and the lab's should", loaded)
	}
}

// Each prepare step refuses what the loader refuses and nothing more. Each
// row is one check; the loader reads it from a file, the prepare step as
// the loader would have handed it over had it not validated (decoded, then
// defaulted). Both accept it, or both refuse it with an error naming what
// is wrong. Values the defaults replace (a count of 0, an empty duration)
// and rules on values no prepare step reads (threshold order, timeout
// against interval, packets fitting the timeout) are the loader's alone.
func TestPrepareRefusesWhatTheLoaderRefuses(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Close()
	goodCA := filepath.Join(dir, "ca.pem")
	junkCA := filepath.Join(dir, "junk.pem")
	write(t, goodCA, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	write(t, junkCA, "not a certificate\n")
	t.Setenv("NOCTOP_TEST_COMMUNITY", "public")
	t.Setenv("NOCTOP_TEST_EMPTY", "") // an empty community that no default can take for unset
	const snmpV3 = `type = "snmp"` + "\n" + `version = "3"` + "\n" + `user = "ops"` + "\n"

	for _, tc := range []struct {
		name    string
		address string // the asset's; "-" for none
		check   string
		loader  string // in the loader's error; "" when it accepts
		prepare string // in the prepare step's error, if not loader's text
	}{
		{name: "http", check: `type = "http"` + "\n" + `url = "http://127.0.0.1/health"`},
		{name: "http ipv6 https", check: `type = "http"` + "\n" + `url = "https://[::1]:8443/x"`},
		{name: "http method any case", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `method = "post"`},
		{name: "http regexp, headers, CA", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" +
			`body_regex = "^ok"` + "\n" + `headers = { X-Key = "v", Host = "h2.test" }` + "\n" + `ca_file = "` + goodCA + `"`},
		{name: "http ftp url", check: `type = "http"` + "\n" + `url = "ftp://127.0.0.1/file"`, loader: `want http:// or https:// with a host`},
		{name: "http no host", check: `type = "http"` + "\n" + `url = "http://"`, loader: `want http:// or https:// with a host`},
		{name: "http relative url", check: `type = "http"` + "\n" + `url = "/health"`, loader: `want http:// or https:// with a host`},
		{name: "http bad escape", check: `type = "http"` + "\n" + `url = "http://h.test/%zz"`, loader: `invalid URL escape "%zz"`},
		{name: "http method", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `method = "FETCH"`, loader: `method "FETCH": want one of GET`},
		{name: "http regexp", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `body_regex = "("`, loader: `body_regex: error parsing regexp: missing closing )`},
		{name: "http header name", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `headers = { "X Key" = "v" }`, loader: `"X Key" is not a valid header name`},
		{name: "http header secret", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `headers = { X-Key = "env:NOCTOP_TEST_SURELY_UNSET" }`,
			loader: `environment variable NOCTOP_TEST_SURELY_UNSET is not set`},
		{name: "http CA missing", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `ca_file = "` + dir + `/gone.pem"`, loader: `ca_file: stat ` + dir + `/gone.pem: no such file or directory`},
		{name: "http CA not PEM", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `ca_file = "` + junkCA + `"`, loader: `no PEM certificate in it`},
		{name: "http CA directory", check: `type = "http"` + "\n" + `url = "http://h.test/"` + "\n" + `ca_file = "` + dir + `"`, loader: `not a regular file`},

		{name: "tcp", check: `type = "tcp"` + "\n" + `port = 22` + "\n" + `expect = "SSH"`},
		{name: "tcp no port", check: `type = "tcp"`, loader: `tcp check "tcp" has no port`},
		{name: "tcp port 0", check: `type = "tcp"` + "\n" + `port = 0`, loader: `port: want 1 to 65535, got 0`, prepare: `tcp check "tcp" has no port`},
		{name: "tcp port range", check: `type = "tcp"` + "\n" + `port = 70000`, loader: `port: want 1 to 65535, got 70000`},
		{name: "tcp no address", address: "-", check: `type = "tcp"` + "\n" + `port = 22`, loader: `tcp check "tcp" needs an address, and asset "a" has none`},

		{name: "dns", check: `type = "dns"` + "\n" + `query = "www.example.test"`},
		{name: "dns server and type", address: "-", check: `type = "dns"` + "\n" + `query = "example.test"` + "\n" + `server = "[::1]:5353"` + "\n" + `record_type = "mx"`},
		{name: "dns server without port", check: `type = "dns"` + "\n" + `query = "x.test"` + "\n" + `server = "127.0.0.1"`, loader: `server "127.0.0.1": want host:port`},
		{name: "dns server without host", check: `type = "dns"` + "\n" + `query = "x.test"` + "\n" + `server = ":53"`, loader: `server ":53": want host:port`},
		{name: "dns server port", check: `type = "dns"` + "\n" + `query = "x.test"` + "\n" + `server = "ns.test:0"`, loader: `server "ns.test:0": port must be 1 to 65535`},
		{name: "dns record type", check: `type = "dns"` + "\n" + `query = "x.test"` + "\n" + `record_type = "HINFO"`, loader: `record_type "HINFO": want one of A AAAA`},
		{name: "dns no query", check: `type = "dns"`, loader: `dns check "dns" has no query`},
		{name: "dns empty query", check: `type = "dns"` + "\n" + `query = ""`, loader: `query: must not be empty`, prepare: `dns check "dns" has no query`},
		{name: "dns no server", address: "-", check: `type = "dns"` + "\n" + `query = "x.test"`, loader: `dns check "dns" needs a server, and asset "a" has no address to default to`},

		{name: "tls", check: `type = "tls"`},
		{name: "tls by name", address: "-", check: `type = "tls"` + "\n" + `server_name = "portal.test"` + "\n" + `port = 8443`},
		{name: "tls port", check: `type = "tls"` + "\n" + `port = 70000`, loader: `port: want 1 to 65535, got 70000`},
		{name: "tls nothing to connect to", address: "-", check: `type = "tls"`, loader: `tls check "tls" needs the asset's address or server_name`},
		{name: "tls CA", check: `type = "tls"` + "\n" + `ca_file = "` + junkCA + `"`, loader: `no PEM certificate in it`},

		{name: "icmp", check: `type = "icmp"`},
		{name: "icmp by name, most packets", address: "gw.test", check: `type = "icmp"` + "\n" + `count = 100` + "\n" + `packet_interval = "10ms"`},
		{name: "icmp count", check: `type = "icmp"` + "\n" + `count = 101` + "\n" + `packet_interval = "1ms"`, loader: `count: want 1 to 100 packets, got 101`},
		{name: "icmp no address", address: "-", check: `type = "icmp"`, loader: `icmp check "icmp" needs an address, and asset "a" has none`},

		{name: "host", address: "-", check: `type = "host"` + "\n" + `cpu = { warn = 80 }`},
		{name: "snmp", check: `type = "snmp"`},
		{name: "snmp v1 by name, custom OIDs, filter", address: "sw.test", check: `type = "snmp"` + "\n" + `version = "1"` + "\n" + `community = "env:NOCTOP_TEST_COMMUNITY"` + "\n" +
			`snmp_retries = 0` + "\n" + `interfaces = { include = "^Gi", exclude = "(?i)uplink" }` + "\n" +
			`oids = [{ name = "ups_battery", oid = ".1.3.6.1.2.1.33.1.2.4.0", warn = 50, crit = 20, below = true }, { name = "model", oid = "1.3.6.1.4.1.318.1.1.1.1.1.1.0", expect = "UPS" }, { name = "in", oid = "1.3.6.1.2.1.31.1.1.1.6.1", rate = true }]`},
		{name: "snmp v3 protocols any case", check: snmpV3 + `auth_protocol = "sha256"` + "\n" + `auth_password = "authpass1"` + "\n" +
			`priv_protocol = "aes256c"` + "\n" + `priv_password = "privpass1"` + "\n" + `context = "vlan-20"` + "\n" + `max_repetitions = 1000`},
		{name: "snmp v3 noAuthNoPriv", check: snmpV3},
		{name: "snmp no address", address: "-", check: `type = "snmp"`, loader: `snmp check "snmp" needs an address, and asset "a" has none`},
		{name: "snmp port", check: `type = "snmp"` + "\n" + `port = 70000`, loader: `port: want 1 to 65535, got 70000`},
		{name: "snmp version", check: `type = "snmp"` + "\n" + `version = "2"`, loader: `version "2": want "1", "2c" or "3"`},
		{name: "snmp empty community", check: `type = "snmp"` + "\n" + `community = "env:NOCTOP_TEST_EMPTY"`, loader: `community: must not be empty`},
		{name: "snmp community secret", check: `type = "snmp"` + "\n" + `community = "env:NOCTOP_TEST_SURELY_UNSET"`,
			loader: `environment variable NOCTOP_TEST_SURELY_UNSET is not set`},
		{name: "snmp retries", check: `type = "snmp"` + "\n" + `snmp_retries = 11`, loader: `snmp_retries: want 0 to 10, got 11`},
		{name: "snmp negative retries", check: `type = "snmp"` + "\n" + `snmp_retries = -1`, loader: `snmp_retries: want 0 to 10, got -1`},
		{name: "snmp max_repetitions", check: `type = "snmp"` + "\n" + `max_repetitions = 1001`, loader: `max_repetitions: want 1 to 1000, got 1001`},
		{name: "snmp v1 max_repetitions", check: `type = "snmp"` + "\n" + `version = "1"` + "\n" + `max_repetitions = 10`, loader: `max_repetitions: SNMPv1 has no GETBULK`},
		{name: "snmp v3 no user", check: `type = "snmp"` + "\n" + `version = "3"`, loader: `snmp check "snmp" uses version 3 but has no user`, prepare: `user: must not be empty`},
		{name: "snmp v3 empty user", check: `type = "snmp"` + "\n" + `version = "3"` + "\n" + `user = ""`, loader: `user: must not be empty`},
		{name: "snmp v3 long user", check: `type = "snmp"` + "\n" + `version = "3"` + "\n" + `user = "` + strings.Repeat("u", 33) + `"`,
			loader: `user: longer than 32 octets, which USM does not allow (RFC 3414)`},
		{name: "snmp v3 auth protocol", check: snmpV3 + `auth_protocol = "SHA3"` + "\n" + `auth_password = "authpass1"`, loader: `auth_protocol "SHA3": want one of MD5, SHA, SHA-224`},
		{name: "snmp v3 priv protocol", check: snmpV3 + `auth_protocol = "SHA"` + "\n" + `auth_password = "authpass1"` + "\n" +
			`priv_protocol = "AES-512"` + "\n" + `priv_password = "privpass1"`, loader: `priv_protocol "AES-512": want one of DES, AES, AES-192`},
		{name: "snmp v3 privacy without authentication", check: snmpV3 + `priv_protocol = "AES"` + "\n" + `priv_password = "privpass1"`,
			loader: `priv_protocol needs auth_protocol: SNMPv3 has no privacy without authentication`},
		{name: "snmp v3 short password", check: snmpV3 + `auth_protocol = "SHA"` + "\n" + `auth_password = "short"`,
			loader: `auth_password: want at least 8 characters (RFC 3414), got 5`},
		{name: "snmp v3 no password", check: snmpV3 + `auth_protocol = "MD5"` + "\n" + `priv_protocol = "DES"` + "\n" + `priv_password = "privpass1"`,
			loader: `auth_protocol MD5 needs auth_password`, prepare: `auth_password: want at least 8 characters (RFC 3414), got 0`},
		{name: "snmp interface pattern", check: `type = "snmp"` + "\n" + `interfaces = { exclude = "(" }`, loader: `interfaces.exclude: error parsing regexp: missing closing )`},
		{name: "snmp oid", check: `type = "snmp"` + "\n" + `oids = [{ name = "x", oid = "1.3.6.1.x" }]`, loader: `oids.0.oid "1.3.6.1.x": want dotted numbers`},
		{name: "snmp oid arc", check: `type = "snmp"` + "\n" + `oids = [{ name = "x", oid = "1.40.6" }]`, loader: `oids.0.oid "1.40.6": want dotted numbers`},
		{name: "snmp no oid", check: `type = "snmp"` + "\n" + `oids = [{ name = "x" }]`, loader: `oids.0 has no oid`, prepare: `oids.0.oid "": want dotted numbers`},
		{name: "snmp oid name", check: `type = "snmp"` + "\n" + `oids = [{ name = "9x", oid = "1.3.6.1" }]`, loader: `oids.0.name "9x": want a letter`},
		{name: "snmp no oid name", check: `type = "snmp"` + "\n" + `oids = [{ oid = "1.3.6.1" }]`, loader: `oids.0 has no name`, prepare: `oids.0.name "": want a letter`},
		{name: "snmp reserved oid name", check: `type = "snmp"` + "\n" + `oids = [{ name = "if_count", oid = "1.3.6.1" }]`,
			loader: `oids.0.name "if_count" is a metric snmp checks report themselves`},
		{name: "snmp duplicate oid name", check: `type = "snmp"` + "\n" + `oids = [{ name = "x", oid = "1.3.6.1" }, { name = "x", oid = "1.3.6.2" }]`,
			loader: `duplicate oid name "x" in check "snmp"`},
		{name: "snmp oid expect and warn", check: `type = "snmp"` + "\n" + `oids = [{ name = "x", oid = "1.3.6.1", expect = "on", warn = 1 }]`,
			loader: `oids.0: expect compares a string, warn/crit judge a number`},
		{name: "snmp profile, thresholds", check: `type = "snmp"` + "\n" + `profile = "ups"` + "\n" + `thresholds = { charge = { warn = 40 }, load = { warn = 70, crit = 90 } }`},
		{name: "snmp profile auto, a built-in's threshold", check: `type = "snmp"` + "\n" + `profile = "auto"` + "\n" + `thresholds = { toner = { crit = 2 } }`},
		{name: "snmp unknown profile", check: `type = "snmp"` + "\n" + `profile = "upss"`, loader: `profile "upss": want one of ups, printer, sensors, wireless, host, auto`},
		{name: "snmp thresholds without profile", check: `type = "snmp"` + "\n" + `thresholds = { charge = { warn = 40 } }`, loader: `thresholds are a profile's; set profile`},
		{name: "snmp unknown threshold", check: `type = "snmp"` + "\n" + `profile = "printer"` + "\n" + `thresholds = { charge = { warn = 40 } }`,
			loader: `thresholds.charge: profile "printer" has no such threshold (want one of toner)`},
		{name: "snmp threshold range", check: `type = "snmp"` + "\n" + `profile = "ups"` + "\n" + `thresholds = { charge = { warn = 140 } }`,
			loader: `thresholds.charge.warn: want 0% to 100%, got 140%`},
		{name: "snmp threshold order with a default", check: `type = "snmp"` + "\n" + `profile = "ups"` + "\n" + `thresholds = { charge = { crit = 60 } }`,
			loader: `thresholds.charge: warn 50% is worse than crit 60% (this value is bad when low`},
		{name: "snmp host profile has no thresholds", check: `type = "snmp"` + "\n" + `profile = "host"` + "\n" + `thresholds = { cpu = { warn = 40 } }`,
			loader: `thresholds.cpu: profile "host" has no such threshold (it has none)`},
		{name: "snmp oid expect and rate", check: `type = "snmp"` + "\n" + `oids = [{ name = "x", oid = "1.3.6.1", expect = "on", rate = true }]`,
			loader: `oids.0: rate turns a counter into a number per second`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			address := `address = "127.0.0.1"`
			switch tc.address {
			case "-":
				address = ""
			case "":
			default:
				address = fmt.Sprintf("address = %q", tc.address)
			}
			text := fmt.Sprintf("[[asset]]\nname = \"a\"\n%s\n\n  [[asset.check]]\n%s\n", address, tc.check)
			_, lerr := model.Parse("row.toml", []byte(text))
			switch {
			case tc.loader == "" && lerr != nil:
				t.Fatalf("the loader refuses the row: %v", lerr)
			case tc.loader != "" && (lerr == nil || !strings.Contains(lerr.Error(), tc.loader)):
				t.Fatalf("the loader says %v, want an error with %q", lerr, tc.loader)
			}

			var cfg model.Config
			if err := toml.Unmarshal([]byte(text), &cfg); err != nil {
				t.Fatal(err)
			}
			cfg.ApplyDefaults()
			s := NewSet()
			defer s.Close()
			_, perr := s.Prepare(Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]})
			want := tc.prepare
			if want == "" {
				want = tc.loader
			}
			switch {
			case want == "" && perr != nil:
				t.Errorf("the loader accepts the row, the prepare step refuses it: %v", perr)
			case want != "" && (perr == nil || !strings.Contains(perr.Error(), want)):
				t.Errorf("the loader refuses the row (%q), the prepare step says %v", tc.loader, perr)
			}
		})
	}
}

// A check whose prepare step fails once the monitor runs (its CA file
// removed between validation and start) is UNKNOWN with the reason, run
// after run, and the monitor goes on; once the file is back, the check
// runs.
func TestPrepareFailsAtRuntime(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	write(t, ca, caPEM)
	cfg, err := model.Parse("rt.toml", []byte(fmt.Sprintf(`
[[asset]]
name = "web"

  [[asset.check]]
  type    = "http"
  url     = %q
  ca_file = %q

[[asset]]
name = "host"

  [[asset.check]]
  type = "host"
`, srv.URL, ca)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(ca); err != nil {
		t.Fatal(err)
	}
	s := NewSet()
	defer s.Close()
	sched := NewScheduler(cfg, s.Prepare, newCollector().sink)
	web := model.CheckKey{Asset: "web", Check: "http"}
	for round := range 3 {
		if round == 2 {
			write(t, ca, caPEM)
		}
		c := newCollector()
		sched.sink = c.sink
		if err := sched.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		rs := c.of(web)
		if len(rs) != 1 {
			t.Fatalf("round %d: %d results for %s", round, len(rs), web)
		}
		if round < 2 {
			want := "ca_file: stat " + ca + ": no such file or directory"
			if rs[0].Status != model.StatusUnknown || rs[0].Summary != want {
				t.Errorf("round %d: %s %q, want UNKNOWN %q", round, rs[0].Status, rs[0].Summary, want)
			}
		} else if rs[0].Status != model.StatusOK {
			t.Errorf("CA file back: %s %q, want OK", rs[0].Status, rs[0].Summary)
		}
		if h := c.of(model.CheckKey{Asset: "host", Check: "host"}); len(h) != 1 || h[0].Status == model.StatusUnknown {
			t.Errorf("round %d: the host check beside it: %+v", round, h)
		}
	}
}

// The Set refuses a target without an asset or a check, and a type it has
// no probe for, as errors (never a panic).
func TestSetPrepareRefusesIncompleteTargets(t *testing.T) {
	s := NewSet()
	defer s.Close()
	for _, tc := range []struct {
		tg   Target
		want string
	}{
		{Target{}, "no asset or check to prepare"},
		{Target{Asset: &model.Asset{Address: "127.0.0.1"}}, "no asset or check to prepare"},
		{Target{Check: &model.Check{Type: model.CheckICMP}}, "no asset or check to prepare"},
		{Target{Asset: &model.Asset{}, Check: &model.Check{Type: "gopher"}}, `no probe for check type "gopher"`},
	} {
		if _, err := s.Prepare(tc.tg); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %q", tc.tg, err, tc.want)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
