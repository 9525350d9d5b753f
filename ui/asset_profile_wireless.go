package ui

import (
	"strings"

	"noctop/model"
)

// wirelessLines draws an access point or controller: the SSIDs of the
// 802.11 MIB on one line, then its custom profiles' rows as a table (an
// AP per line: status, clients).
func wirelessLines(s *styles, t *model.ProfileTable, w int) []string {
	var out []string
	var ssids []string
	var rest []model.ProfileRow
	for _, r := range t.Rows {
		if r.Group == "ssid" {
			ssids = append(ssids, clean(r.Label))
			continue
		}
		rest = append(rest, r)
	}
	if len(ssids) > 0 {
		out = append(out, s.muted.paint("SSIDs  ")+strings.Join(ssids, "  "))
	}
	if len(rest) > 0 {
		out = append(out, pivotLines(s, rest, w)...)
	}
	return out
}
