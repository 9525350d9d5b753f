package model

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// The lifecycle register: an asset's renewal dates (warranty end, EOL, end
// of support, licence expiry) and the certificates its tls and https
// checks saw, each judged against renewal_warn and renewal_crit. The
// engine keeps them as the "lifecycle" pseudo-check (engine_lifecycle.go);
// `noctop renewals` prints them.

// CheckLifecycle is the type and the name of an asset's lifecycle
// pseudo-check. No probe runs it: the engine judges it from the config's
// dates and the certificates seen.
const CheckLifecycle = "lifecycle"

// Defaults of [defaults] renewal_warn and renewal_crit.
const (
	DefaultRenewalWarn = 90 * 24 * time.Hour
	DefaultRenewalCrit = 30 * 24 * time.Hour
)

// MaxCerts bounds the certificates one check reports (leaf first, then the
// chain): a server may send any number.
const MaxCerts = 10

// Renewal kinds.
const (
	RenewalWarranty = "warranty"
	RenewalEOL      = "eol"
	RenewalEOS      = "eos"
	RenewalLicence  = "licence"
	RenewalCert     = "certificate"
	// RenewalConsumable is a printer supply (toner, ink) its check reports
	// low: desktop management's consumables, judged by the check's toner
	// threshold rather than a date.
	RenewalConsumable = "consumable"
)

// Cert is one certificate a tls or https check saw. Subject and Issuer
// are the server's text, cut with Clip.
type Cert struct {
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	NotAfter    time.Time `json:"not_after"`
	Fingerprint string    `json:"fingerprint"` // SHA-256 of the DER, hex
}

// Name is how a reason names the certificate: its first name component
// ("CN=portal"), else the whole subject.
func (c *Cert) Name() string {
	if i := strings.IndexByte(c.Subject, ','); i > 0 {
		return c.Subject[:i]
	}
	if c.Subject == "" {
		return "(no subject)"
	}
	return c.Subject
}

// Register is a check state's part of the lifecycle register.
type Register struct {
	// Certs are the certificates a tls or https check last saw, leaf
	// first.
	Certs []Cert
	// Items are the lifecycle check's items, soonest first.
	Items []Renewal
}

// Renewals are the lifecycle check's items (nil for another check).
func (c *CheckState) Renewals() []Renewal {
	if c == nil || c.Register == nil {
		return nil
	}
	return c.Register.Items
}

// Certs are the certificates a tls or https check last saw.
func (c *CheckState) Certs() []Cert {
	if c == nil || c.Register == nil {
		return nil
	}
	return c.Register.Certs
}

// Renewal is one item of the register: a date of an asset's lifecycle or
// a certificate, with its status on the day it was judged.
type Renewal struct {
	Asset string
	Kind  string // RenewalWarranty, ... RenewalCert
	// Label names the item: "warranty", "licence Oracle DB",
	// "certificate CN=portal".
	Label string
	// Date is a config date at midnight in the monitor's zone, or a
	// certificate's not-after.
	Date time.Time
	// Days left (negative once past): whole local days for a date, whole
	// 24-hour days for a certificate.
	Days   int
	Status Status
	Owner  string
	// Check and Cert are set for a certificate: the check that saw it.
	// Check and Level for a consumable: the check and its level in %.
	Check string
	Cert  *Cert
	Level float64
}

// Text words the item for a reason: "warranty ends in 24 d (2026-12-31)",
// "certificate CN=portal expires in 12 d (2027-01-05)".
func (r *Renewal) Text() string {
	if r.Kind == RenewalConsumable {
		return fmt.Sprintf("%s at %s", r.Label, FormatValue(math.Round(r.Level), "%"))
	}
	verb, past := "ends", "ended"
	if r.Kind == RenewalLicence || r.Kind == RenewalCert {
		verb, past = "expires", "expired"
	}
	day := r.Date.Format(time.DateOnly)
	switch {
	case r.Days < 0:
		return fmt.Sprintf("%s %s %d d ago (%s)", r.Label, past, -r.Days, day)
	case r.Days == 0:
		return fmt.Sprintf("%s %s today (%s)", r.Label, verb, day)
	}
	return fmt.Sprintf("%s %s in %d d (%s)", r.Label, verb, r.Days, day)
}

// RenewalLimits are the distances at which a renewal turns WARNING and
// CRITICAL.
type RenewalLimits struct{ Warn, Crit time.Duration }

// RenewalLimits are asset a's limits: its lifecycle's own, else
// [defaults] (filled by Load), else the built-in defaults.
func (c *Config) RenewalLimits(a *Asset) RenewalLimits {
	l := RenewalLimits{Warn: c.Defaults.RenewalWarn.Duration, Crit: c.Defaults.RenewalCrit.Duration}
	if l.Warn <= 0 {
		l.Warn = DefaultRenewalWarn
	}
	if l.Crit <= 0 {
		l.Crit = DefaultRenewalCrit
	}
	if lc := a.Lifecycle; lc != nil {
		if lc.RenewalWarn.Duration > 0 {
			l.Warn = lc.RenewalWarn.Duration
		}
		if lc.RenewalCrit.Duration > 0 {
			l.Crit = lc.RenewalCrit.Duration
		}
	}
	return l
}

// HasDates reports whether the lifecycle names a date that can come due.
func (l *Lifecycle) HasDates() bool {
	return l != nil && (l.WarrantyEnd != nil || l.EOL != nil || l.EOS != nil || l.LicenceExpiry != nil)
}

// LifecycleRenewals lists asset a's dates, at midnight in loc, unjudged.
func LifecycleRenewals(a *Asset, loc *time.Location) []Renewal {
	l := a.Lifecycle
	if !l.HasDates() {
		return nil
	}
	var out []Renewal
	add := func(kind, label string, d *toml.LocalDate) {
		if d != nil {
			out = append(out, Renewal{Asset: a.Name, Kind: kind, Label: label, Owner: l.Owner,
				Date: time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, loc)})
		}
	}
	add(RenewalWarranty, "warranty", l.WarrantyEnd)
	add(RenewalEOL, "end of life", l.EOL)
	add(RenewalEOS, "end of support", l.EOS)
	label := "licence"
	if l.Licence != "" {
		label += " " + l.Licence
	}
	add(RenewalLicence, label, l.LicenceExpiry)
	return out
}

// CertRenewal is the register's item for a certificate check saw.
func CertRenewal(asset, owner, check string, c *Cert) Renewal {
	return Renewal{Asset: asset, Kind: RenewalCert, Label: "certificate " + c.Name(), Owner: owner,
		Date: c.NotAfter, Check: check, Cert: c}
}

// Judge sets the item's days left and status at now: CRITICAL when past
// or within lim.Crit, WARNING within lim.Warn. A date counts in whole
// days of now's zone (it ends at that day's end), a certificate to the
// instant.
func (r *Renewal) Judge(now time.Time, lim RenewalLimits) {
	if r.Kind == RenewalConsumable {
		return // its check's toner threshold judged it
	}
	if r.Kind == RenewalCert {
		left := r.Date.Sub(now)
		r.Days = int(math.Floor(left.Hours() / 24))
		switch {
		case left <= lim.Crit:
			r.Status = StatusCritical
		case left <= lim.Warn:
			r.Status = StatusWarning
		default:
			r.Status = StatusOK
		}
		return
	}
	r.Days = civilDays(r.Date) - civilDays(now.In(r.Date.Location()))
	critDays, warnDays := int(lim.Crit/(24*time.Hour)), int(lim.Warn/(24*time.Hour))
	switch {
	case r.Days < 0 || r.Days <= critDays:
		r.Status = StatusCritical
	case r.Days <= warnDays:
		r.Status = StatusWarning
	default:
		r.Status = StatusOK
	}
}

// civilDays numbers t's calendar day in its own zone, so that the days
// between two dates do not depend on DST.
func civilDays(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// SortRenewals orders items soonest first (past ones first), then by
// asset and label.
func SortRenewals(items []Renewal) {
	slices.SortStableFunc(items, func(a, b Renewal) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Asset, b.Asset); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
}

// nextRenewalChange is the first instant after now when an item's status
// or days left may change: the next local midnight, or a certificate's
// crossing of a limit, whichever is first.
func nextRenewalChange(items []Renewal, now time.Time, loc *time.Location, lim RenewalLimits) time.Time {
	y, m, d := now.In(loc).Date()
	next := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	for i := range items {
		if items[i].Kind != RenewalCert {
			continue
		}
		for _, t := range [3]time.Time{items[i].Date.Add(-lim.Warn), items[i].Date.Add(-lim.Crit), items[i].Date} {
			if t.After(now) && t.Before(next) {
				next = t
			}
		}
	}
	return next
}

// Supply is a printer supply its check reported low, with the status its
// toner threshold gave.
type Supply struct {
	Label  string  `json:"label"`
	Pct    float64 `json:"pct"`
	Status Status  `json:"status"`
}

// LowSupplies are a printer profile table's supplies whose level is at or
// below the toner threshold's warn (not OK), in table order.
func LowSupplies(t *ProfileTable) []Supply {
	var out []Supply
	for _, r := range t.Rows {
		if r.Group == "supply" && r.Status.IsProblem() && !math.IsNaN(r.Value) {
			out = append(out, Supply{Label: r.Label, Pct: r.Value, Status: r.Status})
		}
	}
	return out
}

// SupplyRenewal is the register's item for a low supply: due now, with
// its check's status.
func SupplyRenewal(asset, owner, check string, s Supply, now time.Time) Renewal {
	return Renewal{Asset: asset, Kind: RenewalConsumable, Label: "supply " + s.Label, Owner: owner,
		Date: now, Status: s.Status, Check: check, Level: s.Pct}
}

// supplyAttr prefixes the lifecycle check's attrs that keep the low
// supplies, as certAttr the certificates.
const supplyAttr = "supply."

// StoredSupply is one low supply as a lifecycle check's attrs keep it.
type StoredSupply struct {
	Check string `json:"check"`
	Supply
}

// SuppliesFromAttrs reads the low supplies a lifecycle check's attrs keep
// (supply.1, supply.2, ...), for `noctop renewals` from the store.
func SuppliesFromAttrs(attrs map[string]string) []StoredSupply {
	var out []StoredSupply
	for i := 1; ; i++ {
		v, ok := attrs[supplyAttr+strconv.Itoa(i)]
		if !ok {
			return out
		}
		var ss StoredSupply
		if json.Unmarshal([]byte(v), &ss) == nil && ss.Check != "" && ss.Label != "" {
			out = append(out, ss)
		}
	}
}
