package estate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"noctop/model"
)

// AckFor is how long a silence made by an ack lasts. The TUI's ack is
// sticky until the problem resolves; Alertmanager silences need an end,
// so the view's last a day (A expires one earlier).
const AckFor = 24 * time.Hour

// Target is what an ack in the view is about, as Alertmanager's labels
// name it: an asset of a site, and a check of it or "" for the asset.
type Target struct{ Site, Asset, Check string }

// ErrNoSilence says Unack found no silence of the view's making for the
// target.
var ErrNoSilence = errors.New("no silence for it")

// matchersOf are the silence's matchers for t: asset, check if any, and
// site when the asset has one (a poller that is not sharded has none).
func matchersOf(t Target) []Matcher {
	yes := true
	ms := []Matcher{{Name: "asset", Value: t.Asset, IsEqual: &yes}}
	if t.Check != "" {
		ms = append(ms, Matcher{Name: "check", Value: t.Check, IsEqual: &yes})
	}
	if t.Site != "" {
		ms = append(ms, Matcher{Name: "site", Value: t.Site, IsEqual: &yes})
	}
	return ms
}

// Ack makes the ack of t: a silence of AckFor from now, by and
// comment as given (Alertmanager requires both; an empty comment becomes
// "acknowledged in noctop view"). It returns the silence's ID.
func Ack(ctx context.Context, am string, t Target, by, comment string, now time.Time) (string, error) {
	if comment == "" {
		comment = "acknowledged in noctop view"
	}
	if by == "" {
		by = "noctop view"
	}
	body, err := json.Marshal(map[string]any{
		"matchers": matchersOf(t), "startsAt": now.UTC(), "endsAt": now.Add(AckFor).UTC(),
		"createdBy": by, "comment": comment,
	})
	if err != nil {
		return "", err
	}
	out, err := amDo(ctx, http.MethodPost, strings.TrimRight(am, "/")+"/api/v2/silences", body, nil)
	if err != nil {
		return "", err
	}
	var r struct {
		SilenceID string `json:"silenceID"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.SilenceID == "" {
		return "", fmt.Errorf("%w: silence made, but its ID not read from %q: %v", ErrAlertmanager, model.Clip(string(out), 200), err)
	}
	return r.SilenceID, nil
}

// Unack expires the active silences that ack t (matchers exactly
// those Silence makes); ErrNoSilence when there is none.
func Unack(ctx context.Context, am string, t Target) error {
	out, err := amGet(ctx, am, "/api/v2/silences", nil)
	if err != nil {
		return err
	}
	ss, err := DecodeSilences(out)
	if err != nil {
		return err
	}
	want := checkKey{key{t.Site, t.Asset}, t.Check}
	n := 0
	for _, s := range ss {
		if k, ok := ackKey(s.Matchers); !ok || k != want || s.Status.State == "expired" {
			continue
		}
		if _, err := amDo(ctx, http.MethodDelete, strings.TrimRight(am, "/")+"/api/v2/silence/"+url.PathEscape(s.ID), nil, nil); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", t, ErrNoSilence)
	}
	return nil
}

func (t Target) String() string {
	s := t.Asset
	if t.Check != "" {
		s += "/" + t.Check
	}
	if t.Site != "" {
		s = "site " + t.Site + " " + s
	}
	return s
}
