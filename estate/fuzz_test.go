package estate

import (
	"strconv"
	"strings"
	"testing"

	"noctop/model"
)

// Whatever Alertmanager (or something posing as it) answers, decoding
// returns rows or an error, and the view built from them never panics;
// its text stays within model.MaxNetText.
func FuzzDecodeAlertmanager(f *testing.F) { // seeds: testdata/fuzz/FuzzDecodeAlertmanager
	f.Fuzz(func(t *testing.T, body []byte) {
		alerts, aerr := DecodeAlerts(body)
		silences, serr := DecodeSilences(body)
		if aerr != nil && serr != nil {
			return
		}
		raw := estateRaw()
		raw.Alerts, raw.Silences = alerts, silences
		s := Build(raw, 0)
		const limit = model.MaxNetText + 32 // Clip's "… (N bytes)"
		for _, a := range s.Assets {
			if len(a.Reason) > limit {
				t.Fatalf("%s: reason of %d bytes", a.Name, len(a.Reason))
			}
			if a.Ack != nil && (len(a.Ack.By) > limit || len(a.Ack.Comment) > limit) {
				t.Fatalf("%s: ack of %d+%d bytes", a.Name, len(a.Ack.By), len(a.Ack.Comment))
			}
			for _, c := range a.Checks {
				if len(c.Summary) > limit {
					t.Fatalf("%s/%s: summary of %d bytes", a.Name, c.Name, len(c.Summary))
				}
			}
		}
	})
}

// Whatever rows the queries decode (names with slashes and commas, codes
// out of range, roles unknown, parents naming nothing or themselves),
// Build never panics, a stale site's assets are never OK, and the tally
// counts each asset with a problem once.
func FuzzBuild(f *testing.F) { // seeds: testdata/fuzz/FuzzBuild
	f.Fuzz(func(t *testing.T, rows string, upB, upA bool) {
		raw := &Raw{At: at}
		raw.Up = append(raw.Up, ShardValue{Shard{"a", "0"}, b2f(upA)}, ShardValue{Shard{"b", "0"}, b2f(upB)})
		for _, line := range strings.Split(rows, "\n") {
			f := strings.Split(line, "|")
			if len(f) < 4 {
				continue
			}
			sh := Shard{Site: f[0], Shard: "0"}
			v, _ := strconv.ParseFloat(f[3], 64)
			switch f[1] {
			case "info":
				raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: f[2], Info: true, Parents: splitParents(f[3])})
			case "status":
				raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: f[2], HasStatus: true, Code: v})
			case "role":
				raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: f[2], Role: f[3]})
			case "root":
				raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: f[2], RootCause: f[3]})
			case "check":
				raw.Checks = append(raw.Checks, CheckRow{Shard: sh, Asset: f[2], Check: f[3], Code: v})
			case "service":
				raw.Services = append(raw.Services, ServiceRow{Shard: sh, Name: f[2], HasStatus: true, Code: v, Window: f[3], Ratio: v})
			}
		}
		s := Build(raw, 0)
		problems := 0
		names := map[string]bool{}
		for _, a := range s.Assets {
			if names[a.Name] {
				t.Fatalf("two assets named %q in the view", a.Name)
			}
			names[a.Name] = true
			site, _ := Origin(a)
			if stale := (site == "a" && !upA) || (site == "b" && !upB); stale && a.Status != model.StatusUnknown {
				t.Fatalf("%s of a stale site is %v", a.Name, a.Status)
			}
			if a.Role != model.RoleNone {
				problems++
			}
		}
		tl := s.Tally
		if n := tl.RootCauses + tl.Unreachable + tl.Checking + tl.Critical + tl.Unknown + tl.Warning + tl.Soft + tl.Acked; n != problems {
			t.Fatalf("tally %+v counts %d, %d assets have a role", tl, n, problems)
		}
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
