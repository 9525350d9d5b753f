package estate

import (
	"encoding/json"
	"fmt"
	"time"
)

// Alert is the part of Alertmanager's gettableAlert the view uses.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	Status      struct {
		State      string   `json:"state"` // active, suppressed, unprocessed
		SilencedBy []string `json:"silencedBy"`
	} `json:"status"`
}

// Silence is the part of Alertmanager's gettableSilence the view uses.
type Silence struct {
	ID        string    `json:"id"`
	Matchers  []Matcher `json:"matchers"`
	StartsAt  time.Time `json:"startsAt"`
	EndsAt    time.Time `json:"endsAt"`
	CreatedBy string    `json:"createdBy"`
	Comment   string    `json:"comment"`
	Status    struct {
		State string `json:"state"` // active, pending, expired
	} `json:"status"`
}

// Matcher is one matcher of a silence. IsEqual is a pointer because
// Alertmanager before 0.22 leaves it out (meaning true).
type Matcher struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	IsRegex bool   `json:"isRegex"`
	IsEqual *bool  `json:"isEqual,omitempty"`
}

// equal reports whether m is a plain name="value" matcher.
func (m Matcher) equal() bool { return !m.IsRegex && (m.IsEqual == nil || *m.IsEqual) }

// maxAMBody bounds what one Alertmanager answer may be: an estate's alerts
// fit in far less; a bigger answer is refused rather than held.
const maxAMBody = 64 << 20

// DecodeAlerts reads GET /api/v2/alerts. Garbage is an error saying
// where, never a panic.
func DecodeAlerts(body []byte) ([]Alert, error) {
	var as []Alert
	if err := json.Unmarshal(body, &as); err != nil {
		return nil, fmt.Errorf("%w: alerts: %w", ErrAlertmanager, err)
	}
	return as, nil
}

// DecodeSilences reads GET /api/v2/silences.
func DecodeSilences(body []byte) ([]Silence, error) {
	var ss []Silence
	if err := json.Unmarshal(body, &ss); err != nil {
		return nil, fmt.Errorf("%w: silences: %w", ErrAlertmanager, err)
	}
	return ss, nil
}
