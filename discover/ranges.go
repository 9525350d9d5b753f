package discover

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrTooLarge is returned by ParseRanges when the ranges hold more than
// LargeRange addresses and the caller did not allow it (--yes).
var ErrTooLarge = errors.New("ranges larger than a /16")

// LargeRange is the most addresses a sweep takes without --yes (a /16).
const LargeRange = 1 << 16

// MaxRange is the most addresses a sweep takes at all (a /8 of IPv4).
const MaxRange = 1 << 24

// Ranges is a parsed, de-duplicated list of prefixes to sweep.
type Ranges struct {
	prefixes []netip.Prefix
	count    int
}

// ParseRanges reads CIDR prefixes ("10.1.0.0/22") and single addresses
// ("10.1.0.7"). Host bits set in a prefix are an error (a typo is likelier
// than intent); overlapping ranges are merged. More than LargeRange
// addresses need allowLarge.
func ParseRanges(args []string, allowLarge bool) (Ranges, error) {
	var r Ranges
	if len(args) == 0 {
		return r, errors.New("no range given: name one or more CIDR prefixes, e.g. 192.0.2.0/24")
	}
	for i, a := range args {
		p, err := parseOne(strings.TrimSpace(a))
		if err != nil {
			return Ranges{}, fmt.Errorf("range %d %q: %w", i+1, a, err)
		}
		r.add(p)
	}
	for _, p := range r.prefixes {
		r.count += size(p)
		if r.count > MaxRange {
			return Ranges{}, fmt.Errorf("more than %d addresses: sweep smaller ranges", MaxRange)
		}
	}
	if r.count > LargeRange && !allowLarge {
		return Ranges{}, fmt.Errorf("%d addresses: %w; give --yes to sweep them", r.count, ErrTooLarge)
	}
	return r, nil
}

func parseOne(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, errors.New("want a CIDR prefix (192.0.2.0/24) or an address")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, errors.New("want a CIDR prefix like 192.0.2.0/24")
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, errors.New("an IPv4-mapped IPv6 prefix: write it as IPv4")
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("host bits set: did you mean %s?", p.Masked())
	}
	if p.Addr().Is6() && p.Bits() < 128-24 {
		return netip.Prefix{}, fmt.Errorf("an IPv6 prefix of more than 2^24 addresses cannot be swept")
	}
	return p, nil
}

// add keeps prefixes disjoint: one inside another is dropped.
func (r *Ranges) add(p netip.Prefix) {
	for i, q := range r.prefixes {
		switch {
		case q.Bits() <= p.Bits() && q.Contains(p.Addr()):
			return
		case p.Bits() < q.Bits() && p.Contains(q.Addr()):
			r.prefixes[i] = p
			// p may cover later ones too.
			out := r.prefixes[:i+1]
			for _, x := range r.prefixes[i+1:] {
				if !(p.Bits() <= x.Bits() && p.Contains(x.Addr())) {
					out = append(out, x)
				}
			}
			r.prefixes = out
			return
		}
	}
	r.prefixes = append(r.prefixes, p)
}

// size is the number of host addresses of p that a sweep probes: an IPv4
// prefix shorter than /31 leaves out its network and broadcast addresses.
func size(p netip.Prefix) int {
	host := p.Addr().BitLen() - p.Bits()
	n := 1 << host
	if p.Addr().Is4() && host >= 2 {
		n -= 2
	}
	return n
}

// Count is the number of addresses a sweep of r probes.
func (r Ranges) Count() int { return r.count }

// Prefixes are the ranges, disjoint, in the order given.
func (r Ranges) Prefixes() []netip.Prefix { return append([]netip.Prefix(nil), r.prefixes...) }

// Contains reports whether a is one of the addresses r probes.
func (r Ranges) Contains(a netip.Addr) bool {
	for _, p := range r.prefixes {
		if p.Contains(a) {
			host := p.Addr().BitLen() - p.Bits()
			if p.Addr().Is4() && host >= 2 && (a == p.Addr() || a == last(p)) {
				return false
			}
			return true
		}
	}
	return false
}

// All calls yield with every address r probes, range by range, in order,
// until yield returns false.
func (r Ranges) All(yield func(netip.Addr) bool) {
	for _, p := range r.prefixes {
		a, end := p.Addr(), last(p)
		host := p.Addr().BitLen() - p.Bits()
		if p.Addr().Is4() && host >= 2 {
			a, end = a.Next(), end.Prev()
		}
		for ; a.IsValid() && a.Compare(end) <= 0; a = a.Next() {
			if !yield(a) {
				return
			}
		}
	}
}

// last is the highest address of p.
func last(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
