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
)

// Reading the routing table and resolv.conf tells `noctop init` what to
// watch without sending a single packet.

const rtfGateway = 0x2 // RTF_GATEWAY in route flags

// defaultGateways4 reads /proc/net/route: default routes (destination 0,
// mask 0) with the gateway flag, lowest metric first, deduplicated.
func defaultGateways4(r io.Reader) ([]netip.Addr, error) {
	var out []netip.Addr
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
		out = appendUnique(out, netip.AddrFrom4(ip))
	}
	return out, sc.Err()
}

// defaultGateways6 reads /proc/net/ipv6_route: ::/0 routes with a non-zero
// next hop and the gateway flag.
func defaultGateways6(r io.Reader) ([]netip.Addr, error) {
	var out []netip.Addr
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
		out = appendUnique(out, a)
	}
	return out, sc.Err()
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
