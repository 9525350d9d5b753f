package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// decodeReport decodes a datagram as an SNMPv3 message at noAuthNoPriv,
// without checking its authentication, and returns the OID of its Report
// (".1.3.6.1.6.3.15.1.1.5.0" for usmStatsWrongDigests). Agents send these
// Reports unauthenticated, which is why gosnmp drops them.
func decodeReport(b []byte) (oid string, err error) {
	defer func() {
		if v := recover(); v != nil {
			oid, err = "", fmt.Errorf("decoding panicked: %v", v)
		}
	}()
	g := &gosnmp.GoSNMP{
		Version:            gosnmp.Version3,
		SecurityModel:      gosnmp.UserSecurityModel,
		MsgFlags:           gosnmp.NoAuthNoPriv,
		SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: "report"},
	}
	pkt, err := g.SnmpDecodePacket(b)
	switch {
	case err != nil:
		return "", err
	case pkt.Version != gosnmp.Version3:
		return "", fmt.Errorf("an SNMP %s message, not v3", pkt.Version)
	case pkt.PDUType != gosnmp.Report:
		return "", fmt.Errorf("a %s, not a Report", pkt.PDUType)
	case len(pkt.Variables) == 0:
		return "", errors.New("a Report without variables")
	}
	return dotted(pkt.Variables[0].Name), nil
}

// reportReason says what a USM Report means for the operator; ok is false
// for an OID that is not one of the USM statistics.
func reportReason(oid, user string) (string, bool) {
	switch oid {
	case oidUsmStatsWrongDigests:
		return fmt.Sprintf("authentication failure (wrong digest): check auth_password and auth_protocol of user %q", user), true
	case oidUsmStatsUnknownUserNames:
		return fmt.Sprintf("unknown user %q", user), true
	case oidUsmStatsUnsupportedSecLevels:
		return fmt.Sprintf("the agent does not allow this security level for user %q (check auth_protocol and priv_protocol)", user), true
	case oidUsmStatsDecryptionErrors:
		return fmt.Sprintf("decryption error: check priv_password and priv_protocol of user %q", user), true
	case oidUsmStatsNotInTimeWindows:
		return "not in time window: the agent keeps rejecting our engine time", true
	}
	return "", false
}

// snmpFailure turns a failed request into an outcome. No answer at all is
// CRITICAL (the device or its agent is down); an answer that says our
// credentials are wrong, or that cannot be read, is UNKNOWN (the probe
// could not decide).
func snmpFailure(ctx context.Context, cl *snmpClient, s *snmpSession, err error) model.Outcome {
	if o, ok := localOutcome(err); ok { // a send refused here (EPERM, ENOBUFS)
		return o
	}
	var re *requestError
	if !errors.As(err, &re) {
		return model.Unknown("%s: %v", cl.addr, err)
	}
	ex := re.ex
	for _, known := range []struct {
		err error
		oid string
	}{
		{gosnmp.ErrWrongDigest, oidUsmStatsWrongDigests},
		{gosnmp.ErrUnknownUsername, oidUsmStatsUnknownUserNames},
		{gosnmp.ErrUnknownSecurityLevel, oidUsmStatsUnsupportedSecLevels},
		{gosnmp.ErrDecryption, oidUsmStatsDecryptionErrors},
		{gosnmp.ErrNotInTimeWindow, oidUsmStatsNotInTimeWindows},
	} {
		if errors.Is(err, known.err) {
			reason, _ := reportReason(known.oid, s.user)
			return model.Unknown("%s", reason)
		}
	}
	timeout := isSNMPTimeout(err)
	if s.version == gosnmp.Version3 && ex.recv > 0 {
		if oid, derr := decodeReport(ex.last); derr == nil {
			if reason, ok := reportReason(oid, s.user); ok {
				return model.Unknown("%s", reason)
			}
			if oid == oidUsmStatsUnknownEngineIDs && timeout {
				return model.Unknown("%s answered engine discovery but not the %s request after %d tries: %s?",
					cl.addr, ex.what, max(ex.sent-1, 1), discoveryHint(s))
			}
		}
	}
	switch {
	case ex.sent == 0:
		if ctx.Err() != nil {
			return model.Unknown("no time left for the %s request to %s before the deadline", ex.what, cl.addr)
		}
		return model.Unknown("%s request to %s not sent: %v", ex.what, cl.addr, re.err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return model.Critical("no SNMP agent at %s (port unreachable) after %d %s", cl.addr, ex.sent, plural(ex.sent, "try", "tries"))
	case timeout && ex.recv == 0:
		return model.Critical("no response from %s after %d %s", cl.addr, ex.sent, plural(ex.sent, "try", "tries"))
	case timeout:
		return model.Unknown("%d %s from %s but none usable for the %s request (%s)", ex.recv,
			plural(ex.recv, "answer", "answers"), cl.addr, ex.what, lastDatagram(ex.last, s.version == gosnmp.Version3))
	}
	if ex.recv > 0 {
		// gosnmp's decoding errors may quote what the agent sent.
		return model.Unknown("bad answer from %s to the %s request: %s", cl.addr, ex.what, model.Clip(re.err.Error(), model.MaxNetText))
	}
	return model.Unknown("%s request to %s failed: %s", ex.what, cl.addr, model.Clip(re.err.Error(), model.MaxNetText))
}

// discoveryHint says what makes an agent that answered engine discovery
// ignore the request itself: net-snmp 5.9 sends nothing back for a wrong
// privacy password or an unknown context.
func discoveryHint(s *snmpSession) string {
	var hints []string
	if s.priv != gosnmp.NoPriv {
		hints = append(hints, "wrong priv_password or priv_protocol")
	}
	if s.contextName != "" {
		hints = append(hints, fmt.Sprintf("unknown context %q", s.contextName))
	}
	if len(hints) == 0 {
		return "the agent drops this user's requests"
	}
	return strings.Join(hints, ", or ")
}

// lastDatagram describes the last datagram received, for a reason; one
// an SNMPv3 check received is decoded as a Report.
func lastDatagram(b []byte, v3 bool) string {
	if v3 {
		if oid, err := decodeReport(b); err == nil {
			return "last: a Report " + model.Clip(oid, model.MaxNetText)
		} else if len(b) > 0 {
			return fmt.Sprintf("last: %d bytes, %s", len(b), model.Clip(err.Error(), model.MaxNetText))
		}
	}
	return fmt.Sprintf("last: %d bytes", len(b))
}

// isSNMPTimeout reports whether err means "no valid answer in time".
func isSNMPTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, gosnmp.ErrMaxRetriesExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
