package probes

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"noctop/model"
)

// TLS runs one tls check: a handshake with SNI (server_name, else the asset
// address), verification of the chain against the system roots plus ca_file
// (unless insecure_skip_verify), and the days left against Check.Days
// (below-direction; default warn 30, crit 7). Metrics: days_left (leaf),
// chain_days_left (earliest in the verified chain), connect_ms,
// handshake_ms. Attrs: issuer, subject, fingerprint (SHA-256 of the leaf,
// hex), not_before, not_after, names, tls_version, verified.
func (n *Net) TLS(ctx context.Context, t Target) model.Outcome {
	c := t.Check
	host := t.Asset.Address
	if host == "" {
		// A tls check may name only the server: connect to that name.
		host = c.ServerName
	}
	if host == "" {
		return model.Unknown("asset %s has no address and the check no server_name to connect to", t.Asset.Name)
	}
	port := c.Port
	if port == 0 {
		port = model.DefaultTLSPort
	}
	if port < 1 || port > 65535 {
		return model.Unknown("tls check port must be between 1 and 65535, got %d", port)
	}
	sni := c.ServerName
	if sni == "" {
		sni = strings.Trim(host, "[]")
	}
	roots, err := rootPool(c.CAFile)
	if err != nil {
		return model.Unknown("%v", err)
	}
	addr := hostPort(host, port)

	start := time.Now()
	raw, err := n.dialer().DialContext(ctx, "tcp", addr)
	if err != nil {
		return failure(ctx, start, "connecting to "+addr, err)
	}
	defer raw.Close()
	defer closeOnDone(ctx, raw)()
	connect := time.Since(start)
	// Verification happens below, by hand, so that a certificate failing it
	// still yields its facts (issuer, expiry, fingerprint) beside the reason.
	tc := tls.Client(raw, &tls.Config{ServerName: sni, InsecureSkipVerify: true})
	if err := tc.HandshakeContext(ctx); err != nil {
		o := failure(ctx, start, "in TLS handshake", err)
		o.Metrics = map[string]float64{"connect_ms": msOf(connect)}
		return o
	}
	handshake := time.Since(start) - connect
	st := tc.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return model.Critical("TLS: server sent no certificate")
	}
	now := time.Now()
	leaf := st.PeerCertificates[0]
	chain := st.PeerCertificates
	verified := "skipped (insecure_skip_verify)"
	var verr error
	if !c.InsecureSkipVerify {
		opts := x509.VerifyOptions{DNSName: sni, Roots: roots, Intermediates: x509.NewCertPool(), CurrentTime: now}
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

	days := daysLeft(leaf, now)
	chainDays, earliest := days, leaf
	for _, ch := range chain {
		if d := daysLeft(ch, now); d < chainDays {
			chainDays, earliest = d, ch
		}
	}
	fp := sha256.Sum256(leaf.Raw)
	m := map[string]float64{
		"days_left":       days,
		"chain_days_left": chainDays,
		"connect_ms":      msOf(connect),
		"handshake_ms":    msOf(handshake),
	}
	attrs := map[string]string{
		"issuer":      model.Clip(leaf.Issuer.String(), model.MaxNetText),
		"subject":     model.Clip(leaf.Subject.String(), model.MaxNetText),
		"fingerprint": hex.EncodeToString(fp[:]),
		"not_before":  leaf.NotBefore.UTC().Format(time.RFC3339),
		"not_after":   leaf.NotAfter.UTC().Format(time.RFC3339),
		"names":       model.Clip(strings.Join(certNames(leaf), ", "), model.MaxNetText),
		"tls_version": tls.VersionName(st.Version),
		"verified":    verified,
	}

	v := model.NewVerdict()
	expired := now.After(leaf.NotAfter) || now.Before(leaf.NotBefore)
	if expired {
		v.Add(model.StatusCritical, validityReason(leaf, now))
	}
	var invalid x509.CertificateInvalidError
	if verr != nil && !(expired && errors.As(verr, &invalid) && invalid.Reason == x509.Expired) {
		_, reason := classify(ctx, start, "verifying", verr)
		v.Add(model.StatusCritical, reason)
	}
	th := c.Days.Threshold("d", true)
	if c.Days == nil {
		th = model.Threshold{Warn: model.DefaultTLSWarnDays, Crit: model.DefaultTLSCritDays,
			HasWarn: true, HasCrit: true, Below: true, Unit: "d"}
	}
	// A verified, unexpired certificate that is merely close to its end
	// still serves clients: degraded, not down.
	answered := v.Status == model.StatusOK && !expired
	tripped := false
	if !expired {
		s, reason := th.Judge("days left", days)
		v.Add(s, reason)
		tripped = s != model.StatusOK
		if chainDays < days {
			s, reason := th.Judge(fmt.Sprintf("chain days left (%s)", dnName(earliest.Subject.CommonName, earliest.Subject.String())), chainDays)
			v.Add(s, reason)
			tripped = tripped || s != model.StatusOK
		}
	}
	until := leaf.NotAfter.UTC().Format(time.DateOnly)
	var summary string
	switch {
	case v.Status == model.StatusOK:
		summary = fmt.Sprintf("certificate valid %s until %s, issuer %s",
			model.FormatValue(days, "d"), until, dnName(leaf.Issuer.CommonName, leaf.Issuer.String()))
	case tripped:
		summary = fmt.Sprintf("%s (not after %s)", v.Reason(""), until)
	default:
		summary = v.Reason("")
	}
	return model.Outcome{Status: v.Status, Summary: summary, Metrics: m, Attrs: attrs, Degraded: answered}
}

// daysLeft is the whole days until cert expires (negative once expired).
func daysLeft(cert *x509.Certificate, now time.Time) float64 {
	return math.Floor(cert.NotAfter.Sub(now).Hours() / 24)
}
