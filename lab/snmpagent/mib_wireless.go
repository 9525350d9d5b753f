package snmpagent

// An access point controller's tables: IEEE802dot11-MIB's
// dot11StationConfigTable (station ID and desired SSID of two radios,
// ifIndex 1 and 2), and a vendor table under the enterprise arc 99999,
// which is fictitious (the "noctop lab" vendor): its APs with status and
// associated clients, and its SSIDs with clients. noctop reads the vendor
// table through a custom profile file (dist/profiles/noctop-lab-ap.toml),
// as a site would for its own vendor.
const (
	OIDDot11StationConfigEntry = ".1.2.840.10036.1.1.1"
	// OIDLabAPEntry is the vendor's AP row: .2 name, .3 status (1 up, 2
	// down), .4 associated clients.
	OIDLabAPEntry = ".1.3.6.1.4.1.99999.1.1.1"
	// OIDLabSSIDEntry is the vendor's SSID row: .2 name, .3 clients.
	OIDLabSSIDEntry = ".1.3.6.1.4.1.99999.1.2.1"
)

// apNames and ssidNames are the controller's APs and SSIDs in index order.
func apNames() []string   { return []string{"ap-lobby", "ap-floor1", "ap-floor2"} }
func ssidNames() []string { return []string{"noctop-staff", "noctop-guest"} }

func addWireless(column columnAdder) {
	column(OIDDot11StationConfigEntry, 1, kDot11StationID, len(ssidNames()))
	column(OIDDot11StationConfigEntry, 9, kDot11DesiredSSID, len(ssidNames()))
	for c, k := range []kind{kLabAPIndex, kLabAPName, kLabAPStatus, kLabAPClients} {
		column(OIDLabAPEntry, uint32(c+1), k, len(apNames()))
	}
	for c, k := range []kind{kLabSSIDIndex, kLabSSIDName, kLabSSIDClients} {
		column(OIDLabSSIDEntry, uint32(c+1), k, len(ssidNames()))
	}
}

// clients is the number of clients associated with AP r (0 when down).
func (p *profileState) clients(r int) int {
	if !p.apUp[r] {
		return 0
	}
	return p.apClients[r]
}

// wirelessValue computes an 802.11 or vendor table entry. The staff SSID
// has two thirds of the clients (rounded down), the guest SSID the rest.
func wirelessValue(v *vb, e *mibEntry, p *profileState) {
	switch e.kind {
	case kDot11StationID:
		v.octets([]byte{0x02, 0x99, 0x99, 0x00, 0x00, byte(e.row + 1)})
	case kDot11DesiredSSID, kLabSSIDName:
		v.octets([]byte(ssidNames()[e.row]))
	case kLabAPIndex, kLabSSIDIndex:
		v.integer(int64(e.row + 1))
	case kLabAPName:
		v.octets([]byte(apNames()[e.row]))
	case kLabAPStatus:
		v.integer(status(p.apUp[e.row]))
	case kLabAPClients:
		v.unsigned(tagGauge, uint64(p.clients(e.row)))
	case kLabSSIDClients:
		total := 0
		for r := range p.apUp {
			total += p.clients(r)
		}
		staff := total * 2 / 3
		if e.row == 0 {
			v.unsigned(tagGauge, uint64(staff))
		} else {
			v.unsigned(tagGauge, uint64(total-staff))
		}
	}
}
