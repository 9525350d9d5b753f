package probes

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"net/http/httptrace"
	"sync"

	"noctop/model"
)

// seenCerts lists the certificates of a chain, leaf first, for the
// lifecycle register: at most model.MaxCerts, the server's text cut.
func seenCerts(chain []*x509.Certificate) []model.Cert {
	if len(chain) == 0 {
		return nil
	}
	out := make([]model.Cert, 0, min(len(chain), model.MaxCerts))
	for _, c := range chain[:min(len(chain), model.MaxCerts)] {
		fp := sha256.Sum256(c.Raw)
		out = append(out, model.Cert{
			Subject:     model.Clip(c.Subject.String(), model.MaxNetText),
			Issuer:      model.Clip(c.Issuer.String(), model.MaxNetText),
			NotAfter:    c.NotAfter.UTC(),
			Fingerprint: hex.EncodeToString(fp[:]),
		})
	}
	return out
}

// stateChain is what a handshake showed: the verified chain (the root
// included) when there is one, else what the server sent.
func stateChain(st tls.ConnectionState) []*x509.Certificate {
	if len(st.VerifiedChains) > 0 && len(st.VerifiedChains[0]) > 0 {
		return st.VerifiedChains[0]
	}
	return st.PeerCertificates
}

// certWatch records the certificates of an https request's last TLS
// handshake (the final one after redirects). The hook may run on net/http's
// dialing goroutine, even after the request returned: hence the lock.
type certWatch struct {
	mu    sync.Mutex
	chain []*x509.Certificate
}

// watch returns ctx with a trace hook that records handshakes; net/http
// calls it beside the probe's own trace.
func (w *certWatch) watch(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		TLSHandshakeDone: func(st tls.ConnectionState, _ error) {
			if chain := stateChain(st); len(chain) > 0 {
				w.mu.Lock()
				w.chain = chain
				w.mu.Unlock()
			}
		},
	})
}

// certs are the certificates the last handshake showed.
func (w *certWatch) certs() []model.Cert {
	w.mu.Lock()
	defer w.mu.Unlock()
	return seenCerts(w.chain)
}
