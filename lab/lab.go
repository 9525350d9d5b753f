package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"noctop/lab/snmpagent"
)

// Fixed loopback addresses, one per lab asset, so the lab's assets look
// like different machines in the UI. Ports are picked free at start. Where
// the kernel refuses an address (not Linux), the server falls back to
// 127.0.0.1.
const (
	// AddrCoreSwitch is also the first of the SNMP devices, which take
	// consecutive addresses in 127.0.1.0/24 (discoverable as one range).
	AddrCoreSwitch = "127.0.1.1"
	AddrWebShop    = "127.0.0.11"
	AddrERP        = "127.0.0.12"
	AddrCRM        = "127.0.0.13"
	AddrMailGW     = "127.0.0.14"
	AddrDMS        = "127.0.0.15"
	AddrPortal     = "127.0.0.20"
	// AddrDNS avoids 127.0.0.53 and .54, systemd-resolved's stubs.
	AddrDNS = "127.0.0.30"
)

// Names of the lab's assets; SetHealthy takes them.
const (
	WebShop = "web-shop"
	ERP     = "erp"
	CRM     = "crm"
	DMS     = "dms"
	Portal  = "portal"
	MailGW  = "mail-gw"
	LabDNS  = "lab-dns"
	// CoreSwitch carries every application: SetHealthy(CoreSwitch, false)
	// is a network outage that takes all of them down with it.
	CoreSwitch = "core-sw1"
)

// The TLS servers of the portal asset, by certificate.
const (
	CertValid     = "valid"     // valid ~1 year, for PortalName and the portal IP
	CertExpiring  = "expiring"  // 5 days left, for LegacyName and the portal IP
	CertWrongHost = "wronghost" // valid, but only for OtherName
)

// CAFileName is the CA bundle Start writes into its directory.
const CAFileName = "noctop-lab-ca.pem"

// Lab is a running set of loopback servers. Start builds it; Close (or the
// end of Start's ctx) stops every server and waits for their goroutines.
type Lab struct {
	ca     *CA
	caFile string
	// apProfile is the custom profile file of the lab's AP vendor
	// (profiles.go), named in the config's [defaults] profiles.
	apProfile string

	apps   map[string]*app // HTTP(S) applications by asset name
	portal map[string]string
	tcp    *bannerServer
	sw     *bannerServer    // core-sw1's management port
	snmp   *snmpagent.Agent // core-sw1, access switches, UPS, printer, AP
	// switchDown is the network outage knob: core-sw1 and all behind it.
	switchDown atomic.Bool
	dns        *dnsServer
	version    atomic.Pointer[string]

	// done is closed when Close starts: slow handlers select on it.
	done      chan struct{}
	servers   []func() // shutdown functions, called by Close in order
	wg        sync.WaitGroup
	track     tracker
	closeOnce sync.Once
	stopWatch func() bool
}

// Start starts every lab server on loopback and writes the CA certificate
// into dir (as CAFileName). The servers run until ctx is done or Close is
// called; Close waits for them either way.
func Start(ctx context.Context, dir string) (*Lab, error) {
	ca, err := NewCA("noctop lab CA")
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(dir, CAFileName)
	if err := os.WriteFile(caFile, ca.PEM, 0o644); err != nil {
		return nil, fmt.Errorf("lab: write CA: %w", err)
	}
	abs, err := filepath.Abs(caFile)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	apProfile, err := writeAPProfile(dir)
	if err != nil {
		return nil, err
	}
	l := &Lab{ca: ca, caFile: abs, apProfile: apProfile, apps: map[string]*app{}, portal: map[string]string{}, done: make(chan struct{})}
	v := DefaultVersion
	l.version.Store(&v)
	if err := l.startAll(ctx); err != nil {
		l.Close()
		return nil, err
	}
	l.stopWatch = context.AfterFunc(ctx, func() { l.Close() })
	return l, nil
}

func (l *Lab) startAll(ctx context.Context) error {
	if err := l.startSNMP(ctx); err != nil {
		return err
	}
	for _, a := range []struct{ name, addr string }{
		{WebShop, AddrWebShop}, {ERP, AddrERP}, {CRM, AddrCRM}, {DMS, AddrDMS},
	} {
		if err := l.startApp(a.name, a.addr); err != nil {
			return err
		}
	}
	if err := l.startPortal(); err != nil {
		return err
	}
	var err error
	if l.tcp, err = l.startBanner(AddrMailGW, Banner); err != nil {
		return err
	}
	if l.sw, err = l.startBanner(AddrCoreSwitch, SwitchBanner); err != nil {
		return err
	}
	return l.startDNS()
}

// Close stops every server and waits until all their goroutines have ended.
// It is safe to call more than once and from several goroutines.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		if l.stopWatch != nil {
			l.stopWatch()
		}
		close(l.done)
		for _, stop := range l.servers {
			stop()
		}
		l.wg.Wait()
		l.track.closeAndWait()
	})
	return nil
}

// CA is the lab's certificate authority.
func (l *Lab) CA() *CA { return l.ca }

// CAFile is the absolute path of the CA certificate written by Start.
func (l *Lab) CAFile() string { return l.caFile }

// Apps lists the HTTP application assets (portal included), sorted.
func (l *Lab) Apps() []string {
	names := make([]string, 0, len(l.apps))
	for n := range l.apps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// AppAddr is host:port of an application's plain HTTP server ("" for
// unknown names and for the portal, which only speaks HTTPS).
func (l *Lab) AppAddr(name string) string {
	if a, ok := l.apps[name]; ok {
		return a.addr
	}
	return ""
}

// URL is the http URL of path on an application ("" for unknown names).
func (l *Lab) URL(name, path string) string {
	if a := l.AppAddr(name); a != "" {
		return "http://" + a + path
	}
	return ""
}

// TLSAddr is host:port of the portal's HTTPS server with the given
// certificate (CertValid, CertExpiring, CertWrongHost).
func (l *Lab) TLSAddr(cert string) string { return l.portal[cert] }

// TCPAddr is host:port of the banner server (mail-gw).
func (l *Lab) TCPAddr() string { return l.tcp.addr }

// DNSAddr is host:port of the DNS server (UDP and TCP on the same port).
func (l *Lab) DNSAddr() string { return l.dns.addr }

// Resolver resolves names with the lab DNS server only, never the system's
// (the Go resolver, with every query sent to DNSAddr). /etc/hosts is still
// read first, as for any Go resolver.
func (l *Lab) Resolver() *net.Resolver {
	addr := l.dns.addr
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

// SetHealthy takes an asset down or brings it back: an application's
// /healthy answers 503, mail-gw closes connections without a banner, and
// lab-dns answers SERVFAIL. core-sw1 down is a network outage: its
// management port and everything behind it stop answering properly (HTTP
// 503 "unreachable", banners closed, DNS SERVFAIL).
func (l *Lab) SetHealthy(name string, healthy bool) error {
	switch {
	case name == CoreSwitch:
		l.switchDown.Store(!healthy)
		l.setSwitchSNMP(healthy)
	case l.apps[name] != nil:
		l.apps[name].healthy.Store(healthy)
	case name == MailGW:
		l.tcp.healthy.Store(healthy)
	case name == LabDNS:
		l.dns.healthy.Store(healthy)
	default:
		known := append(l.Apps(), MailGW, LabDNS, CoreSwitch)
		slices.Sort(known)
		return fmt.Errorf("lab: no asset %q (known: %v)", name, known)
	}
	return nil
}

// reachable reports whether core-sw1, which every application hangs off,
// is up; when it is not, nothing behind it answers.
func (l *Lab) reachable() bool { return !l.switchDown.Load() }

// SwitchAddr is core-sw1's management address (host:port).
func (l *Lab) SwitchAddr() string { return l.sw.addr }

// SetVersion sets the version every /version endpoint reports (a scripted
// deployment in the demo).
func (l *Lab) SetVersion(v string) { l.version.Store(&v) }

// Version is what /version reports now.
func (l *Lab) Version() string { return *l.version.Load() }

// listen opens a TCP listener on addr (a loopback IP) and a free port,
// falling back to 127.0.0.1 where the address is not available.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if errors.Is(err, syscall.EADDRNOTAVAIL) {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("lab: listen on %s: %w", addr, err)
	}
	return ln, nil
}

// tracker counts running handlers so that Close can wait for them, and
// refuses new ones once closing has begun (a WaitGroup alone cannot: Add
// racing Wait at zero is not allowed).
type tracker struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (t *tracker) enter() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	return true
}

func (t *tracker) leave() { t.wg.Done() }

func (t *tracker) closeAndWait() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.wg.Wait()
}

// sleep waits d, or less when the lab closes or ctx ends; it reports
// whether the whole d passed.
func (l *Lab) sleep(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
	case <-l.done:
	}
	return false
}
