package lab_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"noctop/lab"
	"noctop/model"
)

func start(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: body: %v", u, err)
	}
	return resp.StatusCode, string(b)
}

func TestHTTPEndpoints(t *testing.T) {
	l := start(t)
	for _, app := range []string{lab.WebShop, lab.ERP, lab.CRM, lab.DMS} {
		host, _, _ := net.SplitHostPort(l.AppAddr(app))
		if !net.ParseIP(host).IsLoopback() {
			t.Errorf("%s listens on %s, not loopback", app, host)
		}
		if code, body := get(t, l.URL(app, "/healthy")); code != 200 || body != "ok\n" {
			t.Errorf("%s /healthy = %d %q, want 200 \"ok\\n\"", app, code, body)
		}
		if code, _ := get(t, l.URL(app, "/fail")); code != 503 {
			t.Errorf("%s /fail = %d, want 503", app, code)
		}
		var flaps []int
		for range 4 {
			code, _ := get(t, l.URL(app, "/flap"))
			flaps = append(flaps, code)
		}
		if !slices.Equal(flaps, []int{200, 503, 200, 503}) {
			t.Errorf("%s /flap codes = %v, want alternating 200/503", app, flaps)
		}
		code, body := get(t, l.URL(app, "/version"))
		var v struct{ App, Version string }
		if err := json.Unmarshal([]byte(body), &v); code != 200 || err != nil || v.App != app || v.Version != l.AppVersion(app) {
			t.Errorf("%s /version = %d %q (%v)", app, code, body, err)
		}
		if code, body := get(t, l.URL(app, "/big?bytes=1000")); code != 200 || len(body) != 1000 {
			t.Errorf("%s /big?bytes=1000 = %d, %d bytes", app, code, len(body))
		}
	}

	if code, body := get(t, l.URL(lab.ERP, "/slow")); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/slow = %d %q", code, body)
	}

	// /big streams 100 MiB; read a little and hang up.
	resp, err := http.Get(l.URL(lab.WebShop, "/big"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != lab.BigBodySize {
		t.Errorf("/big Content-Length = %d, want %d", resp.ContentLength, lab.BigBodySize)
	}
	if n, err := io.CopyN(io.Discard, resp.Body, 1<<20); n != 1<<20 || err != nil {
		t.Errorf("/big first MiB: %d bytes, %v", n, err)
	}
	resp.Body.Close()

	// /slowloris sends a status line and then trickles one header.
	conn, err := net.Dial("tcp", l.AppAddr(lab.CRM))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /slowloris HTTP/1.1\r\nHost: lab\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	want := "HTTP/1.1 200 OK\r\nX-Slowloris: zz"
	got := make([]byte, len(want))
	if _, err := io.ReadFull(conn, got); err != nil || string(got) != want {
		t.Errorf("/slowloris sent %q (%v), want %q", got, err, want)
	}

	l.SetVersion("2.0.1")
	if _, body := get(t, l.URL(lab.WebShop, "/version")); !strings.Contains(body, `"version":"2.0.1"`) {
		t.Errorf("/version after SetVersion = %q", body)
	}
	if err := l.SetHealthy(lab.ERP, false); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, l.URL(lab.ERP, "/healthy")); code != 503 {
		t.Errorf("unhealthy erp /healthy = %d, want 503", code)
	}
	if code, _ := get(t, l.URL(lab.WebShop, "/healthy")); code != 200 {
		t.Errorf("web-shop /healthy = %d after erp went down, want 200", code)
	}
	l.SetHealthy(lab.ERP, true)
	if code, _ := get(t, l.URL(lab.ERP, "/healthy")); code != 200 {
		t.Errorf("erp /healthy = %d after recovery, want 200", code)
	}
	if err := l.SetHealthy("nope", false); err == nil || !strings.Contains(err.Error(), "web-shop") {
		t.Errorf("SetHealthy(nope) = %v, want an error listing the known assets", err)
	}
}

func TestTLSServers(t *testing.T) {
	l := start(t)
	pem, err := os.ReadFile(l.CAFile())
	if err != nil || !strings.Contains(string(pem), "BEGIN CERTIFICATE") {
		t.Fatalf("CA file %s: %v", l.CAFile(), err)
	}
	roots := l.CA().Pool()
	for _, tc := range []struct {
		cert, name    string
		wantErr       bool
		minDays, maxD float64
	}{
		{lab.CertValid, lab.PortalName, false, 360, 366},
		{lab.CertExpiring, lab.LegacyName, false, 5, 6},
		{lab.CertWrongHost, lab.PortalName, true, 360, 366},
	} {
		addr := l.TLSAddr(tc.cert)
		conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: tc.name})
		var he x509.HostnameError
		if tc.wantErr {
			if err == nil || !errors.As(err, &he) {
				t.Errorf("%s: err = %v, want a hostname error", tc.cert, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.cert, err)
			continue
		}
		leaf := conn.ConnectionState().PeerCertificates[0]
		days := time.Until(leaf.NotAfter).Hours() / 24
		if days < tc.minDays || days > tc.maxD {
			t.Errorf("%s: %.1f days left, want %v..%v", tc.cert, days, tc.minDays, tc.maxD)
		}
		// The portal serves its application over HTTPS too.
		io.WriteString(conn, "GET /healthy HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(conn)
		if !strings.HasPrefix(string(b), "HTTP/1.1 200") {
			t.Errorf("%s: /healthy over TLS: %q", tc.cert, b)
		}
		conn.Close()
	}
}

func TestBannerServer(t *testing.T) {
	l := start(t)
	conn, err := net.Dial("tcp", l.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || line != lab.Banner {
		t.Fatalf("banner = %q, %v", line, err)
	}
	io.WriteString(conn, "hello lab\r\n")
	if line, _ := r.ReadString('\n'); line != "hello lab\r\n" {
		t.Errorf("echo = %q", line)
	}
	io.WriteString(conn, "QUIT\r\n")
	if line, _ := r.ReadString('\n'); line != "221 bye\r\n" {
		t.Errorf("QUIT answer = %q", line)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Errorf("after QUIT: %v, want EOF", err)
	}

	l.SetHealthy(lab.MailGW, false)
	c2, err := net.Dial("tcp", l.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c2); len(b) != 0 || err != nil {
		t.Errorf("unhealthy mail-gw sent %q (%v), want a silent close", b, err)
	}
}

func query(t *testing.T, network, server, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, server)
	if err != nil {
		t.Fatalf("%s %s %s: %v", network, name, dns.TypeToString[qtype], err)
	}
	return r
}

func TestDNSServer(t *testing.T) {
	l := start(t)
	srv := l.DNSAddr()
	web, _, _ := net.SplitHostPort(l.AppAddr(lab.WebShop))
	for _, tc := range []struct {
		name  string
		qtype uint16
		want  []string // the answer's records, as text after the header
	}{
		{lab.WWWName, dns.TypeA, []string{web}},
		{lab.WWWName, dns.TypeAAAA, []string{"::1"}},
		{lab.ShopName, dns.TypeCNAME, []string{lab.WWWName + "."}},
		{lab.ShopName, dns.TypeA, []string{lab.WWWName + ".", web}},
		{lab.Zone, dns.TypeMX, []string{"10 " + lab.MailName + "."}},
		{lab.Zone, dns.TypeTXT, []string{`"` + lab.TXTValue + `"`}},
		{lab.WWWName, dns.TypeMX, nil}, // NODATA
	} {
		r := query(t, "udp", srv, tc.name, tc.qtype)
		var got []string
		for _, rr := range r.Answer {
			got = append(got, strings.TrimPrefix(rr.String(), rr.Header().String()))
		}
		if r.Rcode != dns.RcodeSuccess || !slices.Equal(got, tc.want) {
			t.Errorf("%s %s = %s %q, want NOERROR %q", tc.name, dns.TypeToString[tc.qtype], dns.RcodeToString[r.Rcode], got, tc.want)
		}
	}
	for _, name := range []string{"nope." + lab.Zone, "example.com"} {
		if r := query(t, "udp", srv, name, dns.TypeA); r.Rcode != dns.RcodeNameError {
			t.Errorf("%s: rcode %s, want NXDOMAIN", name, dns.RcodeToString[r.Rcode])
		}
	}
	if r := query(t, "udp", srv, lab.BigName, dns.TypeA); !r.Truncated || len(r.Answer) >= lab.BigRecords {
		t.Errorf("big over UDP: truncated=%v with %d answers, want TC and fewer than %d", r.Truncated, len(r.Answer), lab.BigRecords)
	}
	if r := query(t, "tcp", srv, lab.BigName, dns.TypeA); r.Truncated || len(r.Answer) != lab.BigRecords {
		t.Errorf("big over TCP: truncated=%v with %d answers, want %d", r.Truncated, len(r.Answer), lab.BigRecords)
	}

	addrs, err := l.Resolver().LookupHost(t.Context(), lab.WWWName)
	if err != nil || !slices.Contains(addrs, web) {
		t.Errorf("Resolver().LookupHost(www) = %v, %v; want %s", addrs, err, web)
	}
	_, err = l.Resolver().LookupHost(t.Context(), "nope."+lab.Zone)
	var de *net.DNSError
	if !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("Resolver().LookupHost(nope) err = %v, want not found", err)
	}

	l.SetHealthy(lab.LabDNS, false)
	if r := query(t, "udp", srv, lab.WWWName, dns.TypeA); r.Rcode != dns.RcodeServerFailure {
		t.Errorf("unhealthy lab-dns: rcode %s, want SERVFAIL", dns.RcodeToString[r.Rcode])
	}
}

// TestConfig decodes Config strictly into model.Config (the loader is
// written elsewhere; this is the part that does not depend on it) and
// checks what the lab promises: known check types, loopback only, real
// ports, and a ca_file that exists.
func TestConfig(t *testing.T) {
	l := start(t)
	path := filepath.Join(t.TempDir(), "lab.toml")
	if err := l.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != l.Config() {
		t.Fatalf("WriteConfig wrote something else than Config (%v)", err)
	}
	// The real loader: strict keys, types, references and thresholds.
	cfgp, err := model.Parse(path, data)
	if err != nil {
		t.Fatalf("lab config does not load:\n%v", err)
	}
	cfg := *cfgp

	loopback := func(where, host string) {
		t.Helper()
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() || ip.To4() == nil {
			t.Errorf("%s: address %q is not in 127.0.0.0/8", where, host)
		}
	}
	assets := map[string]bool{}
	types := map[string]int{}
	for _, a := range cfg.Assets {
		assets[a.Name] = true
		loopback(a.Name, a.Address)
		for _, p := range a.Parents {
			if !assets[p] {
				t.Errorf("%s: parent %q is not an earlier asset", a.Name, p)
			}
		}
		for _, c := range a.Checks {
			where := a.Name + "/" + c.Name
			types[c.Type]++
			if !slices.Contains(model.CheckTypes(), c.Type) {
				t.Errorf("%s: unknown check type %q", where, c.Type)
			}
			for _, d := range []model.Duration{c.Interval, c.Timeout, c.RetryInterval} {
				if d.Err() != nil {
					t.Errorf("%s: %v", where, d.Err())
				}
			}
			if c.RTT != nil && (c.RTT.Warn.Err() != nil || c.RTT.Crit.Err() != nil) {
				t.Errorf("%s: bad rtt", where)
			}
			if c.Latency != nil && (c.Latency.Warn.Err() != nil || c.Latency.Crit.Err() != nil) {
				t.Errorf("%s: bad latency", where)
			}
			if c.URL != "" {
				u, err := url.Parse(c.URL)
				if err != nil {
					t.Errorf("%s: url: %v", where, err)
				} else {
					loopback(where, u.Hostname())
				}
			}
			if c.Server != "" {
				h, p, err := net.SplitHostPort(c.Server)
				if err != nil {
					t.Errorf("%s: server %q: %v", where, c.Server, err)
				}
				loopback(where, h)
				if n, _ := strconv.Atoi(p); n == 0 {
					t.Errorf("%s: server %q has no port", where, c.Server)
				}
			}
			if (c.Type == "tcp" || c.Type == "tls") && c.Port == 0 {
				t.Errorf("%s: no port", where)
			}
			if c.CAFile != "" {
				if _, err := os.Stat(c.CAFile); err != nil {
					t.Errorf("%s: ca_file: %v", where, err)
				}
			}
			if c.Type == "tcp" && len(c.ExpectList) == 0 {
				t.Errorf("%s: expect not normalised", where)
			}
		}
	}
	for _, typ := range []string{"icmp", "snmp", "http", "tcp", "dns", "tls"} {
		if types[typ] == 0 {
			t.Errorf("no %s check in the lab config", typ)
		}
	}
	rules := map[string]bool{}
	for _, s := range cfg.Services {
		rules[s.Rule] = true
		for _, n := range s.Needs {
			if !assets[n] {
				t.Errorf("service %q needs unknown asset %q", s.Name, n)
			}
		}
	}
	for _, r := range []string{"all", "any", "2 of 3"} {
		if !rules[r] {
			t.Errorf("no service with rule %q", r)
		}
	}
}

// TestCloseOnCancel: ending Start's ctx stops the servers, even with a
// slow request and a slowloris connection in flight, and Close then
// returns (it waits for every goroutine).
func TestCloseOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	l, err := lab.Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", l.AppAddr(lab.WebShop))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /slowloris HTTP/1.1\r\nHost: lab\r\n\r\n")
	tcpConn, err := net.Dial("tcp", l.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer tcpConn.Close()
	slow := make(chan error, 1)
	go func() {
		resp, err := http.Get(l.URL(lab.ERP, "/slow"))
		if err == nil {
			resp.Body.Close()
		}
		slow <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the requests reach their handlers
	cancel()
	l.Close()
	l.Close() // twice is fine
	<-slow
	for _, addr := range []string{l.AppAddr(lab.WebShop), l.TCPAddr(), l.TLSAddr(lab.CertValid)} {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("%s still accepts after Close", addr)
		}
	}
}

// readBanner returns what a TCP server sends before closing or within 5 s.
func readBanner(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return line
}

func TestSwitchOutageTakesDownEverythingBehindIt(t *testing.T) {
	l := start(t)
	if got := readBanner(t, l.SwitchAddr()); got != lab.SwitchBanner {
		t.Fatalf("switch banner %q", got)
	}
	if err := l.SetHealthy(lab.CoreSwitch, false); err != nil {
		t.Fatal(err)
	}
	if got := readBanner(t, l.SwitchAddr()); got != "" {
		t.Errorf("switch down still greets: %q", got)
	}
	if got := readBanner(t, l.TCPAddr()); got != "" {
		t.Errorf("mail-gw behind a down switch greets: %q", got)
	}
	if code, body := get(t, l.URL(lab.ERP, "/healthy")); code != 503 || !strings.Contains(body, "core-sw1") {
		t.Errorf("erp behind a down switch: %d %q", code, body)
	}
	if m := query(t, "udp", l.DNSAddr(), lab.WWWName, dns.TypeA); m.Rcode != dns.RcodeServerFailure {
		t.Errorf("dns behind a down switch: rcode %s", dns.RcodeToString[m.Rcode])
	}
	l.SetHealthy(lab.CoreSwitch, true)
	if code, _ := get(t, l.URL(lab.ERP, "/healthy")); code != 200 {
		t.Errorf("erp after recovery: %d", code)
	}
}
