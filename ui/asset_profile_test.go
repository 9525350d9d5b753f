package ui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// Fixture tables as the probes fill them (probes/snmp_profile_*.go).
func upsTable(onBattery bool) *model.ProfileTable {
	nan := math.NaN()
	src := model.ProfileRow{Group: "output", Label: "source", Text: "on mains", Value: nan, Status: model.StatusOK}
	charge := model.ProfileRow{Group: "battery", Label: "charge", Value: 100, Unit: "%", Status: model.StatusOK}
	if onBattery {
		src = model.ProfileRow{Group: "output", Label: "source", Text: "on battery", Value: nan, Status: model.StatusCritical, Reason: "on battery, 12 min left"}
		charge = model.ProfileRow{Group: "battery", Label: "charge", Value: 27, Unit: "%", Status: model.StatusWarning, Reason: "charge 27% <= warn 50%"}
	}
	return &model.ProfileTable{Profile: model.ProfileUPS, Rows: []model.ProfileRow{
		src, charge,
		{Group: "battery", Label: "runtime", Value: 12, Unit: "min", Status: model.StatusOK},
		{Group: "output", Label: "load", Value: 38, Unit: "%", Status: model.StatusOK},
		{Group: "input", Label: "voltage", Value: 0, Unit: "V", Status: model.StatusOK},
	}}
}

func printerTable() *model.ProfileTable {
	nan := math.NaN()
	return &model.ProfileTable{Profile: model.ProfilePrinter, Rows: []model.ProfileRow{
		{Group: "supply", Label: "Black Toner Cartridge", Value: 4, Unit: "%", Status: model.StatusCritical, Reason: "toner Black Toner Cartridge 4% <= crit 5%"},
		{Group: "supply", Label: "Cyan Toner Cartridge", Value: 71, Unit: "%", Status: model.StatusOK},
		{Group: "tray", Label: "Tray 1", Value: 50, Unit: "%", Status: model.StatusOK},
		{Group: "tray", Label: "Tray 2", Value: 0, Text: "empty", Unit: "%", Status: model.StatusWarning, Reason: "Tray 2 empty"},
		{Group: "alert", Label: "Black toner low", Text: "warning", Value: nan, Status: model.StatusWarning},
	}}
}

func sensorTable() *model.ProfileTable {
	nan := math.NaN()
	return &model.ProfileTable{Profile: model.ProfileSensors, Rows: []model.ProfileRow{
		{Group: "temperature", Label: "CPU temperature", Value: 61.5, Unit: "°C", Status: model.StatusWarning, Reason: "CPU temperature 61.5 °C >= warn 60 °C"},
		{Group: "fan", Label: "Fan 1", Value: 5200, Unit: "rpm", Status: model.StatusOK},
		{Group: "fan", Label: "Fan 2", Value: nan, Text: "nonoperational", Unit: "rpm", Status: model.StatusCritical, Reason: "Fan 2 nonoperational"},
		{Group: "status", Label: "Power supply 1", Value: nan, Text: "ok", Status: model.StatusOK},
		{Group: "voltage", Label: "12V rail", Value: 12.1, Unit: "V", Status: model.StatusOK},
	}}
}

func wirelessTable() *model.ProfileTable {
	nan := math.NaN()
	return &model.ProfileTable{Profile: model.ProfileWireless, Rows: []model.ProfileRow{
		{Group: "ssid", Label: "noctop-staff", Text: "radio 1", Value: nan, Status: model.StatusOK},
		{Group: "ssid", Label: "noctop-guest", Text: "radio 2", Value: nan, Status: model.StatusOK},
		{Group: "ap_status", Label: "ap-lobby", Text: "down", Value: nan, Status: model.StatusCritical, Reason: "ap-lobby ap_status down"},
		{Group: "ap_status", Label: "ap-floor1", Text: "up", Value: nan, Status: model.StatusOK},
		{Group: "ap_clients", Label: "ap-lobby", Value: 0, Status: model.StatusOK},
		{Group: "ap_clients", Label: "ap-floor1", Value: 31, Status: model.StatusWarning, Reason: "ap-floor1 ap_clients 31 >= warn 30"},
	}}
}

func hostTableFixture() *model.ProfileTable {
	return &model.ProfileTable{Profile: model.ProfileHost, Rows: []model.ProfileRow{
		{Group: "cpu", Label: "2 CPUs", Value: 19, Unit: "%", Status: model.StatusOK},
		{Group: "memory", Label: "RAM", Value: 55, Unit: "%", Status: model.StatusOK},
		{Group: "disk", Label: "/var", Value: 92, Unit: "%", Status: model.StatusCritical, Reason: "disk /var 92% >= crit 90%"},
	}}
}

// plainLines renders with colours off and strips what attributes remain.
func plainLines(t *model.ProfileTable, w int) []string {
	s := newStyles(true, true)
	lines := profileLines(s, t, w)
	for i, l := range lines {
		if width(l) > w {
			panic("line wider than the screen: " + l)
		}
		lines[i] = ansi.Strip(l)
	}
	return lines
}

func wantLines(t *testing.T, got []string, want ...string) {
	t.Helper()
	all := strings.Join(got, "\n")
	for _, wnt := range want {
		if !strings.Contains(all, wnt) {
			t.Errorf("want %q in:\n%s", wnt, all)
		}
	}
}

func TestProfileRendererUPS(t *testing.T) {
	got := plainLines(upsTable(true), 120)
	if !strings.HasPrefix(got[0], "✗ ON BATTERY  on battery, 12 min left") {
		t.Errorf("first line %q: the power source comes first, loud", got[0])
	}
	wantLines(t, got, "battery charge", "27%  charge 27% <= warn 50%", "battery runtime", "12 min", "output load", "38%", "input voltage", "0 V")
	mains := plainLines(upsTable(false), 120)
	if !strings.HasPrefix(mains[0], "✓ on mains") || strings.Contains(strings.Join(mains, "\n"), "<=") {
		t.Errorf("on mains:\n%s", strings.Join(mains, "\n"))
	}
}

func TestProfileRendererPrinter(t *testing.T) {
	got := plainLines(printerTable(), 120)
	wantLines(t, got, "✗ Black Toner Cartridge", "4%  toner Black Toner Cartridge 4% <= crit 5%", "✓ Cyan Toner Cartridge", "71%",
		"▲ Tray 2", "0% empty  Tray 2 empty", "alerts", "▲ warning  Black toner low")
	if len(got) != 6 {
		t.Errorf("%d lines, want 2 supplies, 2 trays, the alerts head and 1 alert:\n%s", len(got), strings.Join(got, "\n"))
	}
}

func TestProfileRendererSensors(t *testing.T) {
	got := plainLines(sensorTable(), 120)
	wantLines(t, got, "temperature", "▲ CPU temperature", "61.5 °C  CPU temperature 61.5 °C >= warn 60 °C",
		"fan", "✓ Fan 1", "5200 rpm", "✗ Fan 2", "nonoperational  Fan 2 nonoperational", "power and status", "✓ Power supply 1", "voltage", "12.1 V")
	// Kinds in their order: temperatures, fans, power, the rest.
	all := strings.Join(got, "\n")
	if strings.Index(all, "temperature") > strings.Index(all, "Fan 1") || strings.Index(all, "Power supply") > strings.Index(all, "12V rail") {
		t.Errorf("order:\n%s", all)
	}
}

func TestProfileRendererWireless(t *testing.T) {
	got := plainLines(wirelessTable(), 120)
	wantLines(t, got, "SSIDs  noctop-staff  noctop-guest", "ap_status", "ap_clients")
	var lobby, floor string
	for _, l := range got {
		switch {
		case strings.Contains(l, "ap-lobby"):
			lobby = l
		case strings.Contains(l, "ap-floor1"):
			floor = l
		}
	}
	if !strings.HasPrefix(lobby, "✗ ap-lobby") || !strings.Contains(lobby, "down") || !strings.Contains(lobby, "ap-lobby ap_status down") {
		t.Errorf("lobby line %q: one line per AP, its worst status first", lobby)
	}
	if !strings.HasPrefix(floor, "▲ ap-floor1") || !strings.Contains(floor, "31") {
		t.Errorf("floor line %q", floor)
	}
}

func TestProfileRendererHostAndCustom(t *testing.T) {
	wantLines(t, plainLines(hostTableFixture(), 100), "✓ cpu 2 CPUs", "19%", "✗ disk /var", "92%  disk /var 92% >= crit 90%")
	custom := &model.ProfileTable{Profile: "vendorx", Rows: []model.ProfileRow{{Group: "temp", Label: "inlet", Value: 31, Unit: "C", Status: model.StatusOK}}}
	if profileTitle(custom) != "Profile vendorx" {
		t.Errorf("title %q", profileTitle(custom))
	}
	wantLines(t, plainLines(custom, 60), "temp", "✓ inlet", "31 C")
	// Narrow screens cut, never overflow (plainLines panics on overflow).
	for _, tb := range []*model.ProfileTable{upsTable(true), printerTable(), sensorTable(), wirelessTable(), hostTableFixture(), custom} {
		for _, w := range []int{20, 40, 80} {
			plainLines(tb, w)
		}
	}
}

// Text a device sent is escaped like every other network text.
func TestProfileRendererEscapes(t *testing.T) {
	tb := &model.ProfileTable{Profile: model.ProfilePrinter, Rows: []model.ProfileRow{
		{Group: "supply", Label: "Black\x1b[2J", Value: 50, Unit: "%", Status: model.StatusOK}}}
	for _, l := range profileLines(newStyles(true, true), tb, 80) {
		if strings.Contains(l, "\x1b[2J") {
			t.Errorf("escape sequence from the device reached the screen: %q", l)
		}
	}
}

// profileSnapshot is the lab estate with entity sensors on core-sw1's
// snmp check (a switch's chassis temperatures, fans and power supplies).
func profileSnapshot() *model.Snapshot {
	s := labSnapshot()
	s.Asset("core-sw1").Check("snmp").Profile = sensorTable()
	return s
}

// A low supply in the register: the Renewals screen's row says what and
// how low, the asset screen's line its level and the check that saw it.
func TestConsumableRenewalRows(t *testing.T) {
	r := model.SupplyRenewal("prn1", "desktop team", "snmp", model.Supply{Label: "Black Toner", Pct: 8, Status: model.StatusWarning}, fixedNow)
	row := newRenewal(r)
	if row.what != "supply" || row.detail != "supply Black Toner at 8% · snmp" || row.status != model.StatusWarning || row.days != 0 {
		t.Errorf("renewals row %+v", row)
	}
	lines := renewalLines(newStyles(true, true), []model.Renewal{r}, 120)
	got := ansi.Strip(lines[1])
	for _, want := range []string{"▲ WARN", "supply Black Toner", "level 8% · desktop team", "snmp"} {
		if !strings.Contains(got, want) {
			t.Errorf("asset renewals line %q lacks %q", got, want)
		}
	}
}
