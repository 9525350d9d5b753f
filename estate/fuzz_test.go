package estate

import (
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
