package lab

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"noctop/model"
)

// Config is a complete noctop config (TOML) watching this lab: a switch
// (icmp), four applications with http checks (healthy, slow, failing with
// 503, flapping, /version), an HTTPS portal with tls checks (one
// certificate 5 days from expiry), a mail gateway (tcp banner), the lab DNS
// server, and three business services (rules all, any, "2 of 3"). Every
// address is a loopback address; it names the CA file Start wrote.
func (l *Lab) Config() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	today := time.Now().UTC()
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }

	w("# noctop config for the loopback lab, written %s.\n", today.Format(time.RFC3339))
	w("# Every address is on 127.0.0.0/8; ports were free when the lab started.\n")
	w("# The lab's servers must be running for these checks to pass.\n\n")
	w("[defaults]\ninterval = \"10s\"\ntimeout = \"3s\"\nretries = 2\nretry_interval = \"5s\"\n")
	w("# The demo's script repeats every 3 minutes: the default 30m would tie\n# each scripted failure to the previous round's changes.\ncorrelate_window = \"40s\"\n")
	w("# The lab access point vendor's table, read by profile = \"wireless\" (README \"Custom profiles\").\nprofiles = [%s]\n\n", q(l.apProfile))

	w("[[asset]]\nname = \"gw1\"\nlayer = \"technical\"\nkind = \"router\"\naddress = \"127.0.0.1\"\ntags = [\"site:lab\", \"role:edge\"]\n\n")
	w("  [[asset.check]]\n  type = \"icmp\"\n  count = 3\n  rtt = { warn = \"50ms\", crit = \"200ms\" }\n  loss = { warn = 20, crit = 60 }\n\n")
	swHost, swPort := splitHP(l.sw.addr)
	w("[[asset]]\nname = \"core-sw1\"\nlayer = \"technical\"\nkind = \"switch\"\naddress = %s\nparents = [\"gw1\"]\n", q(swHost))
	w("tags = [\"site:lab\", \"role:core\"]\n")
	w("lifecycle = { commissioned = %s, warranty_end = %s, eol = %s, owner = \"netops\" }\n\n",
		date(-4*365), date(120), date(400)) // beyond renewal_warn: core-sw1 stays clean for the outage story
	w("  [[asset.check]]\n  type = \"tcp\"\n  name = \"mgmt\"\n  port = %s\n  expect = \"SSH-2.0\"\n\n", swPort)
	l.snmpConfig(w, date)

	apps := []struct{ name, kind, second, path, extra, health, links string }{
		{WebShop, "web shop", "version", "/version", "  body_regex = '\"version\":\\s*\"[^\"]+\"'\n  version = { json = \"version\" }\n", "", ""},
		{ERP, "ERP", "reports", "/slow", "  latency = { warn = \"300ms\", crit = \"2s\" }\n", "", CRM},
		{CRM, "CRM", "sync", "/flap", "", "  version = { header = " + q(VersionHeader) + " }\n", ""},
		{DMS, "DMS", "search-api", "/fail", "", "", ""},
	}
	for _, a := range apps {
		w("[[asset]]\nname = %s\nlayer = \"application\"\nkind = %s\naddress = %s\nparents = [\"core-sw1\"]\n",
			q(a.name), q(a.kind), q(hostOf(l.apps[a.name].addr)))
		if a.links != "" {
			w("links = [%s]   # a change there explains a problem here\n", q(a.links))
		}
		w("\n  [[asset.check]]\n  type = \"http\"\n  name = \"health\"\n  url = %s\n  body_contains = \"ok\"\n", q(l.URL(a.name, "/healthy")))
		w("  latency = { warn = \"300ms\", crit = \"2s\" }\n%s\n", a.health)
		w("  [[asset.check]]\n  type = \"http\"\n  name = %s\n  url = %s\n%s\n", q(a.second), q(l.URL(a.name, a.path)), a.extra)
		if a.links != "" {
			w("  [[asset.check]]\n  type = \"http\"\n  name = %s\n  url = %s\n\n", q("link-"+a.links), q(l.URL(a.name, "/link/"+a.links)))
		}
	}

	portalHost, validPort := splitHP(l.portal[CertValid])
	_, expiringPort := splitHP(l.portal[CertExpiring])
	w("[[asset]]\nname = %s\nlayer = \"application\"\nkind = \"portal\"\naddress = %s\nparents = [\"core-sw1\"]\n", q(Portal), q(portalHost))
	w("lifecycle = { warranty_end = %s, owner = \"web team\" }\n\n", date(20))
	w("  [[asset.check]]\n  type = \"tls\"\n  name = \"cert\"\n  port = %s\n  server_name = %s\n  ca_file = %s\n\n", validPort, q(PortalName), q(l.caFile))
	w("  [[asset.check]]\n  type = \"tls\"\n  name = \"legacy-cert\"\n  port = %s\n  server_name = %s\n  ca_file = %s\n", expiringPort, q(LegacyName), q(l.caFile))
	w("  days = { warn = 14, crit = 3 }   # its certificate has 5 days left: WARNING\n\n")
	w("  [[asset.check]]\n  type = \"http\"\n  name = \"https\"\n  url = %s\n  ca_file = %s\n  body_contains = \"ok\"\n\n",
		q("https://"+l.portal[CertValid]+"/healthy"), q(l.caFile))

	mailHost, mailPort := splitHP(l.tcp.addr)
	w("[[asset]]\nname = %s\nlayer = \"application\"\nkind = \"mail gateway\"\naddress = %s\nparents = [\"core-sw1\"]\n\n", q(MailGW), q(mailHost))
	w("  [[asset.check]]\n  type = \"tcp\"\n  name = \"smtp-banner\"\n  port = %s\n  expect = \"220 noctop-lab\"\n\n", mailPort)
	w("  [[asset.check]]\n  type = \"tcp\"\n  name = \"echo\"\n  port = %s\n  send = \"PING lab\\r\\n\"\n  expect = \"PING lab\"\n\n", mailPort)

	dnsHost, _ := splitHP(l.dns.addr)
	w("[[asset]]\nname = %s\nlayer = \"application\"\nkind = \"DNS server\"\naddress = %s\nparents = [\"core-sw1\"]\n\n", q(LabDNS), q(dnsHost))
	w("  [[asset.check]]\n  type = \"dns\"\n  name = \"www\"\n  server = %s\n  query = %s\n  record_type = \"A\"\n  expect = [%s]\n\n",
		q(l.dns.addr), q(WWWName), q(hostOf(l.apps[WebShop].addr)))
	w("  [[asset.check]]\n  type = \"dns\"\n  name = \"mx\"\n  server = %s\n  query = %s\n  record_type = \"MX\"\n  expect = [%s]\n\n",
		q(l.dns.addr), q(Zone), q(MailName))

	w("[[service]]\nname = \"Online sales\"\nrule = \"all\"\nneeds = [%s, %s, %s]\ndescription = \"Shop, portal and name service must all work\"\n\n",
		q(WebShop), q(Portal), q(LabDNS))
	w("[[service]]\nname = \"Order to cash\"\nrule = \"2 of 3\"\nneeds = [%s, %s, %s]\ndescription = \"Degraded but working while two of ERP, CRM and DMS are up\"\n\n",
		q(ERP), q(CRM), q(DMS))
	w("[[service]]\nname = \"Customer contact\"\nrule = \"any\"\nneeds = [%s, %s]\ndescription = \"Customers reach us by CRM portal or by mail\"\n",
		q(CRM), q(MailGW))
	return b.String()
}

// WriteConfig writes Config to path.
func (l *Lab) WriteConfig(path string) error {
	if err := os.WriteFile(path, []byte(l.Config()), 0o644); err != nil {
		return fmt.Errorf("lab: write config: %w", err)
	}
	return nil
}

// q writes a TOML basic string (model.QuoteTOML).
func q(s string) string { return model.QuoteTOML(s) }

func hostOf(hp string) string { h, _ := splitHP(hp); return h }

func splitHP(hp string) (host, port string) {
	host, port, _ = net.SplitHostPort(hp)
	return host, port
}
