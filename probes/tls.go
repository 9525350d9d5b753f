package probes

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"noctop/model"
)

// tlsProbe is a tls check made ready: where to connect, the name to send
// and verify (SNI), the roots to verify against and the days thresholds.
type tlsProbe struct {
	addr      string // host:port
	sni       string
	roots     *x509.CertPool // nil: the system roots
	verify    bool           // false with insecure_skip_verify
	handshake *tls.Config    // verification is done by hand, after it
	days      model.Threshold
	dialer    *net.Dialer
}

// PrepareTLS is the tls check's prepare step: the address (the asset's,
// else server_name) and port joined, SNI chosen, the CA file read into a
// pool.
func (n *Net) PrepareTLS(t Target) (Prepared, error) {
	c := t.Check
	host := t.Asset.Address
	if host == "" {
		// A tls check may name only the server: connect to that name.
		host = c.ServerName
	}
	if host == "" {
		return nil, fmt.Errorf("tls check %q needs the asset's address or server_name", c.Name)
	}
	if c.Port < 1 || c.Port > 65535 {
		return nil, fmt.Errorf("port: want 1 to 65535, got %d", c.Port)
	}
	sni := c.ServerName
	if sni == "" {
		sni = strings.Trim(host, "[]")
	}
	p := &tlsProbe{
		addr:   hostPort(host, c.Port),
		sni:    sni,
		verify: !c.InsecureSkipVerify,
		// Verification happens after the handshake, by hand, so that a
		// certificate failing it still yields its facts (issuer, expiry,
		// fingerprint) beside the reason.
		handshake: &tls.Config{ServerName: sni, InsecureSkipVerify: true},
		days:      c.Days.Threshold("d", true),
		dialer:    n.dialer(),
	}
	if c.CAFile != "" {
		var err error
		if p.roots, err = n.caPool(c.CAFile); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Run handshakes with SNI, verifies the chain against the system roots
// plus ca_file (unless insecure_skip_verify), and judges the days left
// against the check's days (below-direction; the loader's default warn 30,
// crit 7). Metrics: cert_days_left (leaf; the primary), chain_days_left
// (earliest in the verified chain), connect_ms, handshake_ms. Attrs:
// issuer, subject, fingerprint (SHA-256 of the leaf, hex), not_before,
// not_after, names, tls_version, verified.
func (p *tlsProbe) Run(ctx context.Context) model.Outcome {
	o := p.run(ctx)
	o.Primary = model.MetricCertDays
	return o
}

func (p *tlsProbe) run(ctx context.Context) model.Outcome {
	start := time.Now()
	raw, err := p.dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return failure(ctx, start, "connecting to "+p.addr, err)
	}
	defer raw.Close()
	defer closeOnDone(ctx, raw)()
	connect := time.Since(start)
	tc := tls.Client(raw, p.handshake)
	if err := tc.HandshakeContext(ctx); err != nil {
		o := failure(ctx, start, "in TLS handshake", err)
		o.Metrics = map[string]float64{model.MetricConnect: msOf(connect)}
		return o
	}
	handshake := time.Since(start) - connect
	st := tc.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return model.Critical("TLS: server sent no certificate")
	}
	now := time.Now()
	cert := p.inspect(st, now)
	cert.metrics[model.MetricConnect] = msOf(connect)
	cert.metrics[model.MetricHandshake] = msOf(handshake)
	o := p.judge(ctx, start, now, cert)
	o.Certs = seenCerts(cert.chain)
	return o
}

// certFacts is what a handshake showed of the server's certificate.
type certFacts struct {
	leaf      *x509.Certificate
	days      float64             // leaf's days left
	chainDays float64             // earliest expiry in the chain
	earliest  *x509.Certificate   // the certificate with chainDays
	chain     []*x509.Certificate // verified, else as sent
	verr      error               // verification failure, if verified
	metrics   map[string]float64
	attrs     map[string]string
}

// inspect verifies the chain (unless insecure_skip_verify) and reads the
// leaf's facts and the chain's earliest expiry.
func (p *tlsProbe) inspect(st tls.ConnectionState, now time.Time) certFacts {
	leaf := st.PeerCertificates[0]
	chain := st.PeerCertificates
	verified := "skipped (insecure_skip_verify)"
	var verr error
	if p.verify {
		opts := x509.VerifyOptions{DNSName: p.sni, Roots: p.roots, Intermediates: x509.NewCertPool(), CurrentTime: now}
		for _, ic := range st.PeerCertificates[1:] {
			opts.Intermediates.AddCert(ic)
		}
		chains, err := leaf.Verify(opts)
		if err != nil {
			verr, verified = err, "failed"
		} else {
			chain, verified = chains[0], "ok"
		}
	}
	f := certFacts{leaf: leaf, days: daysLeft(leaf, now), earliest: leaf, verr: verr, chain: chain}
	f.chainDays = f.days
	for _, ch := range chain {
		if d := daysLeft(ch, now); d < f.chainDays {
			f.chainDays, f.earliest = d, ch
		}
	}
	fp := sha256.Sum256(leaf.Raw)
	f.metrics = map[string]float64{model.MetricCertDays: f.days, model.MetricChainDays: f.chainDays}
	f.attrs = map[string]string{
		"issuer":      model.Clip(leaf.Issuer.String(), model.MaxNetText),
		"subject":     model.Clip(leaf.Subject.String(), model.MaxNetText),
		"fingerprint": hex.EncodeToString(fp[:]),
		"not_before":  leaf.NotBefore.UTC().Format(time.RFC3339),
		"not_after":   leaf.NotAfter.UTC().Format(time.RFC3339),
		"names":       model.Clip(strings.Join(certNames(leaf), ", "), model.MaxNetText),
		"tls_version": tls.VersionName(st.Version),
		"verified":    verified,
	}
	return f
}

// judge weighs validity, verification and days left.
func (p *tlsProbe) judge(ctx context.Context, start, now time.Time, f certFacts) model.Outcome {
	leaf := f.leaf
	v := model.NewVerdict()
	expired := now.After(leaf.NotAfter) || now.Before(leaf.NotBefore)
	if expired {
		v.Add(model.StatusCritical, validityReason(leaf, now))
	}
	var invalid x509.CertificateInvalidError
	if f.verr != nil && !(expired && errors.As(f.verr, &invalid) && invalid.Reason == x509.Expired) {
		_, reason := classify(ctx, start, "verifying", f.verr)
		v.Add(model.StatusCritical, reason)
	}
	// A verified, unexpired certificate that is merely close to its end
	// still serves clients: degraded, not down.
	answered := v.Status == model.StatusOK && !expired
	tripped := false
	if !expired {
		s, reason := p.days.Judge("days left", f.days)
		v.Add(s, reason)
		tripped = s != model.StatusOK
		if f.chainDays < f.days {
			s, reason := p.days.Judge(fmt.Sprintf("chain days left (%s)", dnName(f.earliest.Subject.CommonName, f.earliest.Subject.String())), f.chainDays)
			v.Add(s, reason)
			tripped = tripped || s != model.StatusOK
		}
	}
	until := leaf.NotAfter.UTC().Format(time.DateOnly)
	var facts string
	switch {
	case v.Status == model.StatusOK:
		facts = fmt.Sprintf("certificate valid %s until %s, issuer %s",
			model.FormatValue(f.days, "d"), until, dnName(leaf.Issuer.CommonName, leaf.Issuer.String()))
	case tripped:
		facts = "not after " + until
	}
	return model.Outcome{Status: v.Status, Summary: model.Describe(v.Reasons, facts), Metrics: f.metrics, Attrs: f.attrs, Degraded: answered}
}
