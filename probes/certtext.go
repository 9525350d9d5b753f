package probes

import (
	"crypto/x509"
	"fmt"
	"math"
	"time"

	"noctop/model"
)

// How reasons and facts name a certificate: its names, its validity, the
// days it has left. The text inside comes from the server: cut.

// daysLeft is the whole days until cert expires (negative once expired).
func daysLeft(cert *x509.Certificate, now time.Time) float64 {
	return math.Floor(cert.NotAfter.Sub(now).Hours() / 24)
}

// hostnameReason names what the certificate is valid for.
func hostnameReason(cert *x509.Certificate, host string) string {
	if cert == nil {
		return fmt.Sprintf("TLS: certificate is not valid for %s", host)
	}
	names := certNames(cert)
	if len(names) == 0 {
		return fmt.Sprintf("TLS: certificate has no subject alternative names (subject %s), not valid for %s",
			model.Clip(cert.Subject.String(), model.MaxNetText), host)
	}
	for i, n := range names[:min(len(names), 4)] {
		names[i] = model.Clip(n, model.MaxNetText) // the server's text
	}
	return fmt.Sprintf("TLS: certificate is valid for %s, not %s", listSome(names, 4, ", "), host)
}

// validityReason explains an expired or not yet valid certificate.
func validityReason(cert *x509.Certificate, now time.Time) string {
	if now.Before(cert.NotBefore) {
		return fmt.Sprintf("TLS: certificate not valid before %s", cert.NotBefore.UTC().Format(time.DateOnly))
	}
	ago := int(now.Sub(cert.NotAfter).Hours() / 24)
	return fmt.Sprintf("TLS: certificate expired %s (%d d ago)", cert.NotAfter.UTC().Format(time.DateOnly), ago)
}

// certNames are the names a certificate is valid for, as it has them.
func certNames(cert *x509.Certificate) []string {
	names := append([]string(nil), cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// dnName is a certificate name for a reason: its common name, else the
// whole distinguished name, cut to model.MaxNetText.
func dnName(cn, full string) string {
	if cn != "" {
		return model.Clip(cn, model.MaxNetText)
	}
	return model.Clip(full, model.MaxNetText)
}
