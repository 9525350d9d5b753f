package main

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Reading the routing table and resolv.conf tells `noctop init` what to
// watch without sending a single packet.

const rtfGateway = 0x2 // RTF_GATEWAY in route flags

// gateway is a default route's next hop.
type gateway struct {
	addr netip.Addr // link-local ones carry their interface as zone: fe80::1%eth0
	dev  string
}

func (g gateway) family() string {
	if g.addr.Is4() {
		return "IPv4"
	}
	return "IPv6"
}

// defaultGateways4 reads /proc/net/route: default routes (destination 0,
// mask 0) with the gateway flag, lowest metric first, deduplicated.
func defaultGateways4(r io.Reader) ([]gateway, error) {
	var out []gateway
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) < 8 {
			continue // header
		}
		if f[1] != "00000000" || f[7] != "00000000" {
			continue
		}
		flags, err := strconv.ParseUint(f[3], 16, 32)
		if err != nil || flags&rtfGateway == 0 {
			continue
		}
		b, err := hex.DecodeString(f[2])
		if err != nil || len(b) != 4 {
			return nil, fmt.Errorf("route line %d: bad gateway %q", line, f[2])
		}
		// /proc/net/route prints the address in host byte order (little-endian here).
		var ip [4]byte
		binary.BigEndian.PutUint32(ip[:], binary.LittleEndian.Uint32(b))
		out = appendGateway(out, gateway{netip.AddrFrom4(ip), f[0]})
	}
	return out, sc.Err()
}

// defaultGateways6 reads /proc/net/ipv6_route: ::/0 routes with a non-zero
// next hop and the gateway flag.
func defaultGateways6(r io.Reader) ([]gateway, error) {
	var out []gateway
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[1] != "00" || strings.Trim(f[0], "0") != "" {
			continue
		}
		flags, err := strconv.ParseUint(f[8], 16, 32)
		if err != nil || flags&rtfGateway == 0 {
			continue
		}
		b, err := hex.DecodeString(f[4])
		if err != nil || len(b) != 16 {
			continue
		}
		a := netip.AddrFrom16([16]byte(b))
		if a.IsUnspecified() {
			continue
		}
		if a.IsLinkLocalUnicast() {
			a = a.WithZone(f[9]) // meaningless without its interface
		}
		out = appendGateway(out, gateway{a, f[9]})
	}
	return out, sc.Err()
}

func appendGateway(list []gateway, g gateway) []gateway {
	for _, h := range list {
		if h.addr == g.addr {
			return list
		}
	}
	return append(list, g)
}

// A gateway in the routing table may not exist: a host with an IPv6 route
// but no IPv6 router on its link (the kernel's neighbour discovery for it
// FAILED). Writing it would start noctop with a root cause that is not a
// problem. The kernel's neighbour tables say which next hops never
// answered, without sending anything.

const atfCom = 0x2 // ATF_COM in /proc/net/arp flags: the entry is complete

// silentNeighbours4 reads /proc/net/arp: addresses the kernel asked for
// and got no answer from (an entry without ATF_COM).
func silentNeighbours4(r io.Reader) (map[netip.Addr]bool, error) {
	out := map[netip.Addr]bool{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if line == 1 || len(f) < 3 {
			continue // header
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		flags, err := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 32)
		if err == nil && flags&atfCom == 0 {
			out[a] = true
		}
	}
	return out, sc.Err()
}

// silentNeighbours6 reads a netlink dump of the IPv6 neighbour table
// (RTM_GETNEIGH): entries in state FAILED or INCOMPLETE.
func silentNeighbours6(dump []byte) (map[netip.Addr]bool, error) {
	msgs, err := syscall.ParseNetlinkMessage(dump)
	if err != nil {
		return nil, fmt.Errorf("neighbour table: %w", err)
	}
	out := map[netip.Addr]bool{}
	for _, m := range msgs {
		if m.Header.Type != syscall.RTM_NEWNEIGH || len(m.Data) < unix.SizeofNdMsg {
			continue
		}
		state := binary.NativeEndian.Uint16(m.Data[8:10]) // ndmsg.ndm_state
		if state&(unix.NUD_FAILED|unix.NUD_INCOMPLETE) == 0 {
			continue
		}
		// Attributes follow the header: length, type, value, 4-aligned.
		for b := m.Data[unix.SizeofNdMsg:]; len(b) >= 4; {
			n := int(binary.NativeEndian.Uint16(b[0:2]))
			if n < 4 || n > len(b) {
				break
			}
			if binary.NativeEndian.Uint16(b[2:4]) == unix.NDA_DST && n == 4+16 {
				out[netip.AddrFrom16([16]byte(b[4:20]))] = true
			}
			b = b[min((n+3)&^3, len(b)):]
		}
	}
	return out, nil
}

// resolvers reads the nameserver lines of a resolv.conf.
func resolvers(r io.Reader) ([]netip.Addr, error) {
	var out []netip.Addr
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		// Drop a zone suffix (fe80::1%eth0): the config wants a plain address.
		a, err := netip.ParseAddr(strings.SplitN(f[1], "%", 2)[0])
		if err != nil {
			continue
		}
		out = appendUnique(out, a)
	}
	return out, sc.Err()
}

func appendUnique(list []netip.Addr, a netip.Addr) []netip.Addr {
	for _, b := range list {
		if a == b {
			return list
		}
	}
	return append(list, a)
}
