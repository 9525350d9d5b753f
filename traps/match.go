package traps

import (
	"net/netip"

	"noctop/model"
)

// assetIndex maps an IP address to the asset a trap from it is about. Only
// addresses written as IP literals match: names are not resolved (the
// receiver does no DNS). When several assets share an address, the first
// technical one wins (traps come from devices), else the first.
func assetIndex(cfg *model.Config) map[netip.Addr]string {
	idx := map[netip.Addr]string{}
	technical := map[netip.Addr]bool{}
	for _, a := range cfg.Assets {
		ip, err := netip.ParseAddr(a.Address)
		if err != nil {
			continue
		}
		ip = ip.Unmap()
		tech := a.Layer == model.LayerTechnical || a.Layer == ""
		if _, seen := idx[ip]; !seen || (tech && !technical[ip]) {
			idx[ip], technical[ip] = a.Name, tech
		}
	}
	return idx
}
