package model

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// minTrapPassword is the shortest SNMPv3 passphrase (RFC 3414 section
// 11.2); net-snmp refuses shorter ones too.
const minTrapPassword = 8

// maxTrapRate bounds rate and burst: beyond it there is no limit to speak of.
const maxTrapRate = 1_000_000

// traps validates [traps] on raw values, before defaults. It normalises
// the protocol names to their canonical spelling.
func (v *validator) traps() {
	t := &v.cfg.Traps
	// [[traps.user]] alone opens [traps] without a header of its own.
	opened := v.ix.has("traps")
	if !opened && len(t.Users) == 0 {
		return
	}
	switch {
	case !v.ix.has("traps.listen"):
		at := v.ix.at("traps.listen")
		if !opened {
			at = v.ix.at("traps.user.0")
		}
		v.add("traps.listen", at, ErrMissing, `traps: no listen address (host:port, e.g. "0.0.0.0:162"); remove [traps] to run without a trap receiver`)
	default:
		if msg := checkListen(t.Listen); msg != "" {
			v.errf("traps.listen", ErrInvalid, "listen %q: %s", t.Listen, msg)
		}
		if len(t.Communities) == 0 && len(t.Users) == 0 {
			v.errf("traps.listen", ErrMissing, "traps: no communities and no [[traps.user]]: every trap would be dropped")
		}
	}
	seen := map[string]bool{}
	for i, c := range t.Communities {
		path := "traps.communities." + strconv.Itoa(i)
		switch {
		case c.Err() != nil, hidden(c): // reported by values; unknown value
		case c.Value() == "":
			v.errf(path, ErrInvalid, "communities: must not be empty")
		case len(c.Value()) > MaxSNMPCommunity:
			v.errf(path, ErrInvalid, "communities: longer than %d octets", MaxSNMPCommunity)
		case seen[c.Value()]:
			v.errf(path, ErrInvalid, "communities: the same community is listed twice")
		}
		seen[c.Value()] = true
	}
	if v.ix.has("traps.rate") && (t.Rate <= 0 || t.Rate > maxTrapRate) {
		v.errf("traps.rate", ErrInvalid, "rate: want more than 0 and at most %d traps per second per source, got %s", maxTrapRate, strconv.FormatFloat(t.Rate, 'f', -1, 64))
	}
	if v.ix.has("traps.burst") && (t.Burst < 1 || t.Burst > maxTrapRate) {
		v.errf("traps.burst", ErrInvalid, "burst: want 1 to %d traps, got %d", maxTrapRate, t.Burst)
	}
	for i := range t.Users {
		v.trapUser(&t.Users[i], "traps.user."+strconv.Itoa(i))
	}
}

// checkListen returns what is wrong with a listen address, or "".
func checkListen(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return `want host:port, e.g. "127.0.0.1:1162" or "0.0.0.0:162"`
	}
	if host != "" {
		if _, err := netip.ParseAddr(host); err != nil {
			return "the host must be an IP address (or empty for every address), not a name"
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "port must be 1 to 65535"
	}
	return ""
}

func (v *validator) trapUser(u *TrapUser, base string) {
	switch {
	case !v.ix.has(base + ".user"):
		v.errf(base+".user", ErrMissing, "[[traps.user]] has no user")
	case u.User == "":
		v.errf(base+".user", ErrInvalid, "user: must not be empty")
	case len(u.User) > MaxSNMPUser:
		v.errf(base+".user", ErrInvalid, "user: longer than %d octets, which USM does not allow (RFC 3414)", MaxSNMPUser)
	}
	if !v.ix.has(base + ".auth_protocol") {
		v.errf(base+".auth_protocol", ErrMissing, "trap user %q has no auth_protocol (want one of %s): unauthenticated v3 traps are not accepted", u.User, strings.Join(SNMPAuthProtocols(), ", "))
	} else if p, ok := SNMPAuthProtocol(u.AuthProtocol); ok {
		u.AuthProtocol = p
	} else {
		v.errf(base+".auth_protocol", ErrInvalid, "auth_protocol %q: want one of %s", u.AuthProtocol, strings.Join(SNMPAuthProtocols(), ", "))
	}
	v.trapPassword(u, base, "auth_password", u.AuthPassword)
	hasPriv := v.ix.has(base + ".priv_protocol")
	if hasPriv {
		if p, ok := SNMPPrivProtocol(u.PrivProtocol); ok {
			u.PrivProtocol = p
		} else {
			v.errf(base+".priv_protocol", ErrInvalid, "priv_protocol %q: want one of %s", u.PrivProtocol, strings.Join(SNMPPrivProtocols(), ", "))
		}
		v.trapPassword(u, base, "priv_password", u.PrivPassword)
	} else if v.ix.has(base + ".priv_password") {
		v.keyErrf(base+".priv_password", ErrInvalid, "trap user %q: priv_password is set but priv_protocol is not (want one of %s)", u.User, strings.Join(SNMPPrivProtocols(), ", "))
	}
}

// trapPassword checks the passphrase of a protocol: present, readable
// (values reports unreadable secrets) and 8+ characters.
func (v *validator) trapPassword(u *TrapUser, base, key string, s Secret) {
	path := base + "." + key
	switch {
	case !v.ix.has(path):
		v.errf(path, ErrMissing, "trap user %q has no %s", u.User, key)
	case s.Err() != nil, hidden(s):
	case len(s.Value()) < minTrapPassword:
		v.errf(path, ErrInvalid, "%s: want at least %d characters, got %d", key, minTrapPassword, len(s.Value()))
	}
}

// hidden reports a secret that Encode wrote as "****" in place of a
// literal: its value is unknown, so it is not judged, and an encoded config
// loads again.
func hidden(s Secret) bool { return s.Value() == "****" && s.String() == "****" }
