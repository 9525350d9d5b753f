package probes

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrICMPUnavailable means this process may open neither a datagram nor a
// raw ICMP socket; every ICMP check is then UNKNOWN with the fixes.
var ErrICMPUnavailable = errors.New("ICMP not permitted")

// detectICMP opens an ICMP socket of the family (IPv4 unless v6) in each
// mode of modes, in order, and keeps the first that opens: that is the
// mode. Nothing is inferred from uid, capabilities or sysctls; the
// kernel's answer is the test.
func detectICMP(v6 bool, modes []ICMPMode, cfg echoSocketConfig) (ICMPMode, *echoSocket, error) {
	var errs []string
	for _, m := range modes {
		var raw bool
		switch m {
		case ICMPDatagram:
		case ICMPRaw:
			raw = true
		default:
			continue
		}
		s, err := openEchoSocket(v6, raw, cfg)
		if err == nil {
			return m, s, nil
		}
		errs = append(errs, describeOpenError(err, raw))
	}
	return ICMPUnavailable, nil, unavailableError(errs)
}

// describeOpenError adds the setting that explains a refused socket.
func describeOpenError(err error, raw bool) string {
	if raw {
		return fmt.Sprintf("%v (needs root or CAP_NET_RAW)", err)
	}
	r, rerr := os.ReadFile("/proc/sys/net/ipv4/ping_group_range")
	if rerr != nil {
		return err.Error()
	}
	return fmt.Sprintf("%v (group %d not in net.ipv4.ping_group_range %q)",
		err, os.Getegid(), strings.Join(strings.Fields(string(r)), " "))
}

// unavailableError says why ICMP cannot be used and names the three fixes.
func unavailableError(errs []string) error {
	bin, err := os.Executable()
	if err != nil {
		bin = "<binary>"
	}
	why := "no ICMP mode allowed"
	if len(errs) > 0 {
		why = strings.Join(errs, "; ")
	}
	return fmt.Errorf("%w: %s. Fix one of: run as root; `setcap cap_net_raw+ep %s`; "+
		"`sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`", ErrICMPUnavailable, why, bin)
}
