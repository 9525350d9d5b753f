package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"noctop/model"
)

// How a network probe's error becomes a status and a short reason: the
// target's problems (refused, reset, timeout, a bad certificate) are
// CRITICAL, this machine's (out of descriptors, no source address, not
// permitted) UNKNOWN and Local.

// failure turns the error of a network probe into an outcome with a short
// human reason. start is when the probe began and phase what it was doing
// ("connecting to 10.0.0.1:443", "waiting for headers"); both only matter
// for timeouts, which name the phase they hit.
func failure(ctx context.Context, start time.Time, phase string, err error) model.Outcome {
	s, reason := classify(ctx, start, phase, err)
	return model.Outcome{Status: s, Summary: reason, Local: isLocal(err)}
}

// localReason says why err is a problem of this machine rather than of the
// target (out of file descriptors or buffers, no source address, not
// permitted), or "" when it is not one. Such outcomes are UNKNOWN with
// Outcome.Local set, so the engine reports them once, not once per check.
func localReason(err error) string {
	if err == nil {
		return ""
	}
	// Go's resolver keeps only the text of a socket error (a net.DNSError
	// unwraps to context errors alone).
	var dnsErr *net.DNSError
	resolver := errors.As(err, &dnsErr)
	for _, l := range []struct {
		errno  syscall.Errno
		reason string
	}{
		{syscall.EMFILE, "local: too many open files"},
		{syscall.ENFILE, "local: too many open files in the system"},
		{syscall.EADDRNOTAVAIL, "local: no usable source address"},
		{syscall.EPERM, "local: connection not permitted (firewall?)"},
		{syscall.EACCES, "local: connection not permitted (firewall?)"},
		{syscall.ENOBUFS, "local: no buffer space available"},
		{syscall.ENOMEM, "local: out of memory"},
	} {
		if errors.Is(err, l.errno) || (resolver && strings.HasSuffix(dnsErr.Err, l.errno.Error())) {
			return l.reason
		}
	}
	return ""
}

// isLocal reports whether err is a problem of this machine (localReason).
func isLocal(err error) bool { return localReason(err) != "" }

// localOutcome is the UNKNOWN, Local outcome of a local problem; ok is
// false when err is not one.
func localOutcome(err error) (out model.Outcome, ok bool) {
	r := localReason(err)
	return model.Outcome{Status: model.StatusUnknown, Summary: r, Local: true}, r != ""
}

// classify maps an error to a status and reason. Errors about the target
// (refused, reset, bad certificate, no such host, timeout) are CRITICAL;
// errors about this machine (out of file descriptors, no source address)
// are UNKNOWN: the probe could not decide (isLocal tells them apart).
func classify(ctx context.Context, start time.Time, phase string, err error) (model.Status, string) {
	// First: a resolver or TLS error may carry a local cause.
	if r := localReason(err); r != "" {
		return model.StatusUnknown, r
	}
	var (
		dnsErr    *net.DNSError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	switch {
	case errors.As(err, &dnsErr) && !dnsErr.IsTimeout:
		// The name may come from a server (a redirect's Location).
		name := model.Clip(dnsErr.Name, model.MaxNetText)
		if dnsErr.IsNotFound {
			return model.StatusCritical, fmt.Sprintf("cannot resolve %s: no such host", name)
		}
		return model.StatusCritical, fmt.Sprintf("cannot resolve %s: %s", name, dnsErr.Err)
	case isTimeout(ctx, err):
		if errors.As(err, &dnsErr) {
			phase = "resolving " + model.Clip(dnsErr.Name, model.MaxNetText)
		}
		return model.StatusCritical, timeoutReason(ctx, start, phase)
	case errors.Is(err, context.Canceled):
		return model.StatusUnknown, "probe cancelled " + phase
	case errors.Is(err, syscall.ECONNREFUSED):
		return model.StatusCritical, "connection refused" + byPeer(err)
	case errors.Is(err, syscall.ECONNRESET):
		return model.StatusCritical, "connection reset by peer"
	case errors.Is(err, syscall.EPIPE):
		return model.StatusCritical, "connection closed by peer (broken pipe)"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return model.StatusCritical, "host unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		return model.StatusCritical, "network unreachable"
	case errors.As(err, &unknownCA):
		reason := "TLS: certificate signed by unknown authority"
		if unknownCA.Cert != nil {
			reason += fmt.Sprintf(" (issuer %s)", dnName(unknownCA.Cert.Issuer.CommonName, unknownCA.Cert.Issuer.String()))
		}
		return model.StatusCritical, reason
	case errors.As(err, &hostErr):
		return model.StatusCritical, hostnameReason(hostErr.Certificate, hostErr.Host)
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired && invalid.Cert != nil {
			return model.StatusCritical, validityReason(invalid.Cert, time.Now())
		}
		return model.StatusCritical, "TLS: " + model.Clip(strings.TrimPrefix(invalid.Error(), "x509: "), model.MaxNetText)
	case errors.As(err, &record):
		return model.StatusCritical, "TLS: server did not answer with TLS (plain-text service?)"
	case errors.As(err, &alert):
		return model.StatusCritical, "TLS: server sent alert: " + strings.TrimPrefix(alert.Error(), "tls: ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return model.StatusCritical, "connection closed by server " + phase
	}
	return model.StatusCritical, innermost(err)
}

// byPeer names the remote address of a failed dial, " by 127.0.0.20:8080",
// so a refused URL says which port was closed.
func byPeer(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return " by " + op.Addr.String()
	}
	return ""
}

// isTimeout reports a deadline hit, whichever layer noticed it first.
func isTimeout(ctx context.Context, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// A probe closes its connection when ctx ends; the read then fails with
	// "use of closed network connection", which is really the deadline.
	return errors.Is(ctx.Err(), context.DeadlineExceeded)
}

// timeoutReason says how long the probe waited and for what, e.g.
// "timeout after 5s waiting for headers". The time is the budget the caller
// gave (the ctx deadline), not the few extra microseconds it took to notice.
func timeoutReason(ctx context.Context, start time.Time, phase string) string {
	d := time.Since(start)
	if dl, ok := ctx.Deadline(); ok {
		d = dl.Sub(start)
	}
	return fmt.Sprintf("timeout after %s %s", roundDuration(d), phase)
}

// roundDuration keeps two or three significant digits: 5s, 1.5s, 250ms.
// Between 100 ms and 1 s it rounds to 10 ms: the probe measures from its
// own start, a little after the caller set the deadline, and a loaded
// machine made a 300 ms budget read "299ms".
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}

// innermost drops the "Get \"url\": dial tcp 1.2.3.4:80:" prefixes that
// url.Error and net.OpError add; the reason is read next to the check, which
// already names the target. What is left may quote the server (net/http's
// "malformed HTTP response %q"), so it is cut to model.MaxNetText.
func innermost(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	return model.Clip(err.Error(), model.MaxNetText)
}
