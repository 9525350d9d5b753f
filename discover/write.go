package discover

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"noctop/model"
)

// MergeHeader is the comment before the assets a merge appends.
func MergeHeader(command, at string) string {
	return fmt.Sprintf("# Added by `%s` at %s: kinds, names and parents are\n"+
		"# discovery's guesses (the comments say from what): review them.\n\n", command, at)
}

// Header is the comment a written config starts with.
func Header(command, at string) string {
	return fmt.Sprintf("# noctop config written by `%s` at %s.\n"+
		"# Kinds, names and parents are discovery's guesses (the comments say from\n"+
		"# what): review them. Hand-written assets are never changed by --merge.\n\n", command, at)
}

// Write is the TOML of the hosts that answered SNMP, parents before their
// children, in the shape of config.example.toml; creds are written as
// given (secrets as "env:NAME" stay references).
func Write(hosts []*Host, creds Credentials) string {
	var b strings.Builder
	for _, h := range order(hosts) {
		writeAsset(&b, h, creds)
	}
	return b.String()
}

// order is the hosts that answered SNMP, by depth in the proposed tree,
// then address.
func order(hosts []*Host) []*Host {
	var out []*Host
	depth := map[*Host]int{}
	for _, h := range hosts {
		if !h.SNMP() {
			continue
		}
		n := 0
		for p := h.Parent; p != nil && n <= len(hosts); p = p.Parent {
			n++
		}
		depth[h] = n
		out = append(out, h)
	}
	slices.SortStableFunc(out, func(a, b *Host) int {
		if depth[a] != depth[b] {
			return depth[a] - depth[b]
		}
		return a.Addr.Compare(b.Addr)
	})
	return out
}

func writeAsset(b *strings.Builder, h *Host, c Credentials) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("[[asset]]\nname = %s\nlayer = \"technical\"\nkind = %s\naddress = %s\n", quote(h.Name), quote(h.Kind), quote(h.Addr.String()))
	if h.Parent != nil {
		w("# %s\nparents = [%s]\n", h.Why(), quote(h.Parent.Name))
	}
	w("tags = [\"discovered\"]\n")
	if h.SysDescr != "" {
		w("# sysDescr: %s\n", h.SysDescr)
	}
	if h.SysObjectID != "" {
		w("# sysObjectID: %s\n", h.SysObjectID)
	}
	w("\n  [[asset.check]]\n  type = \"icmp\"\n\n")
	ch := c.check()
	w("  [[asset.check]]\n  type = \"snmp\"\n")
	if ch.Version != "2c" {
		w("  version = %s\n", quote(ch.Version))
	}
	if ch.Version != "3" {
		if c.Community != "" && c.Community != "public" {
			w("  community = %s\n", quote(c.Community))
		}
	} else {
		w("  user = %s\n", quote(c.User))
		for _, kv := range [][2]string{{"auth_protocol", c.AuthProtocol}, {"auth_password", c.AuthPassword},
			{"priv_protocol", c.PrivProtocol}, {"priv_password", c.PrivPassword}, {"context", c.Context}} {
			if kv[1] != "" {
				w("  %s = %s\n", kv[0], quote(kv[1]))
			}
		}
	}
	if ch.Port != 161 {
		w("  port = %d\n", ch.Port)
	}
	if h.Profile != "" {
		w("  profile = %s\n", quote(h.Profile))
	}
	w("\n")
}

// quote writes a TOML basic string (model.QuoteTOML).
func quote(s string) string { return model.QuoteTOML(s) }

// plural is "1 asset", "2 assets".
func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + one + "s"
}
