package discover

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"

	"noctop/model"
)

// Merged is a config with discovered assets appended, and what changed.
type Merged struct {
	Config []byte
	// Added are the new assets; Known the hosts already in the config
	// (by address), named as the config names them.
	Added, Known []*Host
	// Notes are the changes and disagreements, one line each: a renamed
	// new asset, a configured parent that differs from the proposed one.
	Notes []string
}

// Merge appends the hosts of res that answered SNMP and are not yet in
// the config (by address) to data, the config file at path: its bytes are
// kept as they are, hand-written assets included. A host already there
// takes the config's name, so that new assets' parents name it. data must
// load (model.Parse): a config with errors is refused with them.
func Merge(path string, data []byte, res *Result, creds Credentials, header string) (*Merged, error) {
	cfg, err := model.Parse(path, data)
	if err != nil {
		return nil, fmt.Errorf("merge into %s: %w", path, err)
	}
	byAddr := map[netip.Addr]*model.Asset{}
	taken := map[string]bool{}
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		taken[a.Name] = true
		if ip, err := netip.ParseAddr(a.Address); err == nil {
			if _, dup := byAddr[ip.Unmap()]; !dup {
				byAddr[ip.Unmap()] = a
			}
		}
	}
	for i := range cfg.Services {
		taken[cfg.Services[i].Name] = true
	}
	m := &Merged{}
	known := map[*Host]*model.Asset{}
	for _, h := range res.Answered() {
		if a := byAddr[h.Addr]; a != nil {
			known[h] = a
			h.Name = a.Name
			m.Known = append(m.Known, h)
		}
	}
	for _, h := range res.Answered() {
		if known[h] != nil {
			continue
		}
		base := h.Name
		h.Name = Unique(base, func(s string) bool { return taken[s] })
		taken[h.Name] = true
		if h.Name != base {
			m.Notes = append(m.Notes, fmt.Sprintf("%s (%s): named %s, as %s is taken", h.Name, h.Addr, h.Name, base))
		}
		m.Added = append(m.Added, h)
	}
	for _, h := range m.Known {
		a := known[h]
		if h.Parent != nil && !slices.Contains(a.Parents, h.Parent.Name) {
			m.Notes = append(m.Notes, fmt.Sprintf("%s: config has parents %v; %s (not changed)", a.Name, a.Parents, h.Why()))
		}
	}
	out := bytes.Clone(data)
	if len(m.Added) > 0 {
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, '\n')
		out = append(out, header...)
		out = append(out, Write(m.Added, creds)...)
	}
	if _, err := model.Parse(path, out); err != nil {
		return nil, fmt.Errorf("merge into %s: the merged config does not load (a bug): %w", path, err)
	}
	m.Config = out
	return m, nil
}
