// Package lab runs loopback servers that look like a small IT estate, for
// tests and for `noctop demo` (`noctop demo --lab-only --write-config F`
// runs only the lab and writes a config for it).
//
// Everything listens on 127.0.0.0/8 only, each asset on its own address
// (AddrWebShop, AddrERP, ...) and a port picked free at start; nothing is
// ever sent off the machine.
//
//	l, err := lab.Start(ctx, dir) // writes dir/noctop-lab-ca.pem and dir/noctop-lab-ap.toml (APProfile)
//	defer l.Close()               // or cancel ctx; Close waits either way
//	cfg := l.Config()             // TOML for every lab asset, check and service
//	l.SetHealthy(lab.ERP, false)  // scripted outage: /healthy answers 503
//	l.SetVersion("1.1.0")         // scripted deployment: /version changes
//
// Servers:
//
//   - HTTP, one per application (WebShop, ERP, CRM, DMS; URL, AppAddr):
//     /healthy (200 "ok", or 503 after SetHealthy(name, false)), /slow
//     (answers after SlowDelay), /fail (503), /flap (200 and 503 in turn),
//     /version (JSON {"app","version"}), /big (BigBodySize bytes streamed,
//     or ?bytes=N), /slowloris (a status line, then one header byte every
//     SlowlorisEvery, forever).
//   - HTTPS for the Portal application, one server per certificate
//     (TLSAddr): CertValid (~1 year, PortalName and the portal IP),
//     CertExpiring (5 days left, LegacyName and the portal IP),
//     CertWrongHost (only OtherName). Certificates come from a CA made at
//     start (CA, CAFile; ECDSA P-256); CA().Issue mints more for tests.
//   - TCP banner (MailGW, TCPAddr): sends Banner, echoes lines, "QUIT" ends.
//   - DNS (LabDNS, DNSAddr; UDP and TCP, one port): the zone Zone with A,
//     AAAA, CNAME, MX, NS, TXT records for the lab's names, BigName whose
//     answer does not fit 512 bytes (UDP truncated, TC set), NXDOMAIN for
//     any other name. Resolver returns a *net.Resolver that asks only this
//     server, so tests resolve names without touching the system resolver.
//
// # SNMP devices
//
// core-sw1 (48 ports), acc-sw1, acc-sw2 (24 ports, one with rising input
// errors), ups1 (one port and UPS-MIB; its check has profile = "ups"), printer1
// and ap1 are devices of an SNMP agent (package noctop/lab/snmpagent, which
// documents what they serve) on consecutive addresses from AddrCoreSwitch
// (127.0.1.1), all on one UDP port (SNMPPort), so that `noctop discover
// 127.0.1.0/24 --port P` finds them. Each has a vendor's sysObjectID; the
// switches and ap1 see each other in LLDP-MIB (the access switches' port
// 24 goes to core-sw1) and the bridges' FDB place ups1 and printer1.
// Lab.SNMPDevice
// returns one by asset name, for knobs (SetSilent, Reboot, SetOper, ...);
// they all go silent while core-sw1 is down, and Config gives each an snmp
// check.
package lab
