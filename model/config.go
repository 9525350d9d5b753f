package model

import (
	"net"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Built-in defaults. They live here and nowhere else.
const (
	DefaultInterval      = 30 * time.Second
	DefaultTimeout       = 5 * time.Second
	DefaultRetries       = 3
	DefaultRetryInterval = 10 * time.Second
	DefaultConcurrency   = 256
	DefaultICMPCount     = 3
	DefaultICMPInterval  = 200 * time.Millisecond
	DefaultTLSWarnDays   = 30
	DefaultTLSCritDays   = 7
	DefaultHTTPMethod    = "GET"
	DefaultDNSRecordType = "A"
	DefaultTLSPort       = 443
	DefaultDNSPort       = 53
	DefaultSNMPPort      = 161
	DefaultSNMPVersion   = "2c"
	DefaultSNMPCommunity = "public"
	// DefaultSNMPRetries: three tries, each a third of the time left.
	DefaultSNMPRetries        = 2
	DefaultSNMPMaxRepetitions = 25
)

// Layers an asset may belong to.
const (
	LayerTechnical   = "technical"
	LayerApplication = "application"
)

// Check types.
const (
	CheckICMP = "icmp"
	CheckHTTP = "http"
	CheckTCP  = "tcp"
	CheckDNS  = "dns"
	CheckTLS  = "tls"
	CheckHost = "host"
	CheckSNMP = "snmp"
)

// CheckTypes lists the check types this build knows, in documentation order.
func CheckTypes() []string {
	return []string{CheckICMP, CheckSNMP, CheckHTTP, CheckTCP, CheckDNS, CheckTLS, CheckHost}
}

// Config is a loaded, validated configuration. After Load (or ApplyDefaults)
// every Check carries its effective interval, timeout and retries.
type Config struct {
	// Path is the file the config came from ("" for the built-in default).
	Path string `toml:"-"`

	Defaults  Defaults  `toml:"defaults"`
	Scheduler Scheduler `toml:"scheduler"`
	Assets    []Asset   `toml:"asset"`
	Services  []Service `toml:"service"`
	// Traps is the SNMP trap receiver, off unless [traps] sets listen.
	Traps Traps `toml:"traps"`
	// Notify are the notification receivers ([[notify]]).
	Notify []Notify `toml:"notify"`
	// Maintenance lists the planned windows ([[maintenance]]).
	Maintenance []MaintenanceWindow `toml:"maintenance"`
	// StateDir holds the database (noctop.db); "" means
	// $XDG_STATE_HOME/noctop. After Load it is absolute: a relative one is
	// relative to the config file's directory.
	StateDir string `toml:"state_dir"`
	// Profiles are the custom profiles [defaults] profiles named, loaded.
	Profiles []*CustomProfile `toml:"-"`
}

// Defaults apply to every check that does not set its own value.
type Defaults struct {
	Interval      Duration `toml:"interval"`
	Timeout       Duration `toml:"timeout"`
	Retries       int      `toml:"retries"`
	RetryInterval Duration `toml:"retry_interval"`
	// Flap tunes flap detection for every check (config_flap.go).
	Flap *Flap `toml:"flap"`
	// RenewalWarn and RenewalCrit: a lifecycle date or certificate this
	// close is WARNING, CRITICAL (config_lifecycle.go).
	RenewalWarn Duration `toml:"renewal_warn"`
	RenewalCrit Duration `toml:"renewal_crit"`
	// CorrelateWindow: a check that goes bad this long after a change on
	// its asset, a parent or a linked asset is tied to it (default 30m).
	CorrelateWindow Duration `toml:"correlate_window"`
	// Profiles are custom device profile files (profile_file.go), relative
	// to the config file's directory.
	Profiles []string `toml:"profiles"`
}

// Scheduler tunes how checks are run.
type Scheduler struct {
	// Concurrency bounds the checks running at once (default 256).
	Concurrency int `toml:"concurrency"`
}

// Asset is one thing being watched: a device, a host or an application.
type Asset struct {
	Name      string     `toml:"name"`
	Layer     string     `toml:"layer"`
	Kind      string     `toml:"kind"`
	Address   string     `toml:"address"`
	Parents   []string   `toml:"parents"`
	Tags      []string   `toml:"tags"`
	Lifecycle *Lifecycle `toml:"lifecycle"`
	// Links names the assets (applications) this one talks to: a change
	// there explains a problem here (change correlation).
	Links  []string `toml:"links"`
	Checks []Check  `toml:"check"`
}

// Lifecycle is the renewal metadata of an asset.
type Lifecycle struct {
	Commissioned *toml.LocalDate `toml:"commissioned"`
	WarrantyEnd  *toml.LocalDate `toml:"warranty_end"`
	EOL          *toml.LocalDate `toml:"eol"`
	// EOS is the end of support; LicenceExpiry the end of the licence
	// named Licence.
	EOS           *toml.LocalDate `toml:"eos"`
	LicenceExpiry *toml.LocalDate `toml:"licence_expiry"`
	Licence       string          `toml:"licence"`
	Owner         string          `toml:"owner"`
	// Per-asset overrides of [defaults] renewal_warn and renewal_crit.
	RenewalWarn Duration `toml:"renewal_warn"`
	RenewalCrit Duration `toml:"renewal_crit"`
}

// Check is one probe run against an asset. The fields are flat, as in the
// TOML; the loader rejects fields that do not belong to the check's type.
type Check struct {
	Type string `toml:"type"`
	// Name defaults to Type; it must be unique within the asset.
	Name string `toml:"name"`

	// Per-check overrides of [defaults]; after Load they hold the effective
	// values.
	Interval      Duration `toml:"interval"`
	Timeout       Duration `toml:"timeout"`
	Retries       int      `toml:"retries"`
	RetryInterval Duration `toml:"retry_interval"`
	// Flap overrides [defaults] flap detection (config_flap.go); nil
	// inherits.
	Flap *Flap `toml:"flap"`

	// icmp
	Count          int             `toml:"count"`
	PacketInterval Duration        `toml:"packet_interval"`
	RTT            *DurationLimits `toml:"rtt"`
	Loss           *Limits         `toml:"loss"`

	// http
	URL                string            `toml:"url"`
	Method             string            `toml:"method"`
	ExpectStatus       []int             `toml:"expect_status"`
	BodyContains       string            `toml:"body_contains"`
	BodyRegex          string            `toml:"body_regex"`
	Headers            map[string]Secret `toml:"headers"`
	Latency            *DurationLimits   `toml:"latency"`
	FollowRedirects    *bool             `toml:"follow_redirects"`
	InsecureSkipVerify bool              `toml:"insecure_skip_verify"`
	// CAFile adds a PEM CA bundle to the system roots (http and tls).
	CAFile string `toml:"ca_file"`
	// VersionCapture is an http check's `version = { ... }` table (the
	// key is snmp's protocol version elsewhere: config_version.go).
	VersionCapture *VersionCapture `toml:"-"`

	// tcp and tls
	Port int `toml:"port"`
	// tcp
	Send string `toml:"send"`
	// Expect is a string for tcp and a string or list for dns; the loader
	// normalises it into ExpectList.
	Expect     any      `toml:"expect"`
	ExpectList []string `toml:"-"`

	// dns
	Server     string `toml:"server"`
	Query      string `toml:"query"`
	RecordType string `toml:"record_type"`

	// tls
	ServerName string  `toml:"server_name"`
	Days       *Limits `toml:"days"`

	// host; cpu, memory and disk also for snmp (HOST-RESOURCES-MIB)
	CPU    *Limits `toml:"cpu"`
	Memory *Limits `toml:"memory"`
	Swap   *Limits `toml:"swap"`
	Disk   *Limits `toml:"disk"`
	Load   *Limits `toml:"load"`

	// snmp (and port, default 161)
	Version      string `toml:"version"` // "1", "2c" or "3"
	Community    Secret `toml:"community"`
	User         string `toml:"user"`
	AuthProtocol string `toml:"auth_protocol"` // SNMPAuthProtocols, canonical after Load
	AuthPassword Secret `toml:"auth_password"`
	PrivProtocol string `toml:"priv_protocol"`
	PrivPassword Secret `toml:"priv_password"`
	SNMPContext  string `toml:"context"` // SNMPv3 context name
	// SNMPRetries is how many times a request is sent again after no
	// answer; nil until ApplyDefaults (0 is a valid setting).
	SNMPRetries    *int             `toml:"snmp_retries"`
	MaxRepetitions int              `toml:"max_repetitions"`
	Interfaces     *InterfaceFilter `toml:"interfaces"`
	Utilization    *Limits          `toml:"utilization"` // percent of the interface speed
	Errors         *Limits          `toml:"errors"`      // errors + discards per minute per interface
	HostResources  bool             `toml:"host_resources"`
	OIDs           []OIDCheck       `toml:"oids"`
	// Profile is a device profile (profile.go): a built-in name or a
	// custom profile's; Thresholds override its limits by name.
	Profile    string             `toml:"profile"`
	Thresholds map[string]*Limits `toml:"thresholds"`
	// CustomProfiles are the custom profiles the check may read, set by
	// the loader: the one it names, those extending wireless, or for auto
	// every one.
	CustomProfiles []*CustomProfile `toml:"-"`
}

// InterfaceFilter picks the interfaces an snmp check watches: an interface
// is kept when Include (a Go regexp) matches its ifName, ifDescr or ifAlias,
// unless Exclude matches one of them. Empty patterns match everything and
// nothing respectively.
type InterfaceFilter struct {
	Include string `toml:"include"`
	Exclude string `toml:"exclude"`
}

// OIDCheck is one custom object an snmp check reads with GET: a number
// judged against warn/crit (bad when high, or when low with Below), a
// string compared with Expect, or a counter turned into a per-second Rate.
type OIDCheck struct {
	Name   string   `toml:"name"`
	OID    string   `toml:"oid"`
	Warn   *float64 `toml:"warn"`
	Crit   *float64 `toml:"crit"`
	Below  bool     `toml:"below"`
	Expect string   `toml:"expect"`
	Rate   bool     `toml:"rate"`
	Unit   string   `toml:"unit"`
}

// Threshold is the OID's warn/crit pair with its unit.
func (o *OIDCheck) Threshold() Threshold {
	return (&Limits{Warn: o.Warn, Crit: o.Crit}).Threshold(o.Unit, o.Below)
}

// Service is a business service built from assets and other services.
type Service struct {
	Name string `toml:"name"`
	// Rule is "all", "any" or "N of M" (N members of the M needs must be up).
	Rule  string   `toml:"rule"`
	Needs []string `toml:"needs"`
	// Description is shown in the functional pane.
	Description string `toml:"description"`
	// SLA is the promised availability over 30 days in percent (0 for
	// none): below it the service is WARNING.
	SLA float64 `toml:"sla"`
}

// CheckKey names one check of one asset.
type CheckKey struct {
	Asset string
	Check string
}

func (k CheckKey) String() string { return k.Asset + "/" + k.Check }

// Key returns the key of check c of asset a.
func (a *Asset) Key(c *Check) CheckKey { return CheckKey{Asset: a.Name, Check: c.Name} }

// NumChecks counts the checks of every asset.
func (c *Config) NumChecks() int {
	n := 0
	for i := range c.Assets {
		n += len(c.Assets[i].Checks)
	}
	return n
}

// ApplyDefaults fills every unset value from [defaults], and [defaults] from
// the built-in defaults. Load calls it; tests that build a Config by hand
// call it too.
func (c *Config) ApplyDefaults() {
	c.applyGlobalDefaults()
	for i := range c.Assets {
		c.Assets[i].applyDefaults(&c.Defaults)
	}
	c.applyServiceDefaults()
}

// applyGlobalDefaults fills [defaults], [scheduler] and [traps]: what the
// assets inherit, so the loader calls it before reading them.
func (c *Config) applyGlobalDefaults() {
	d := &c.Defaults
	setDur(&d.Interval, DefaultInterval)
	setDur(&d.Timeout, DefaultTimeout)
	setDur(&d.RetryInterval, DefaultRetryInterval)
	setDur(&d.RenewalWarn, DefaultRenewalWarn)
	setDur(&d.RenewalCrit, DefaultRenewalCrit)
	setDur(&d.CorrelateWindow, DefaultCorrelateWindow)
	if d.Retries <= 0 {
		d.Retries = DefaultRetries
	}
	if c.Scheduler.Concurrency <= 0 {
		c.Scheduler.Concurrency = DefaultConcurrency
	}
	c.Traps.applyDefaults()
	for i := range c.Notify {
		c.Notify[i].applyDefaults()
	}
}

// applyDefaults fills the unset values of an asset and its checks from d
// (already filled) and the type defaults.
func (a *Asset) applyDefaults(d *Defaults) {
	if a.Layer == "" {
		a.Layer = LayerTechnical
	}
	for j := range a.Checks {
		ch := &a.Checks[j]
		if ch.Name == "" {
			ch.Name = ch.Type
		}
		setDur(&ch.Interval, d.Interval.Duration)
		setDur(&ch.Timeout, d.Timeout.Duration)
		setDur(&ch.RetryInterval, d.RetryInterval.Duration)
		if ch.Retries <= 0 {
			ch.Retries = d.Retries
		}
		ch.applyTypeDefaults()
		if ch.Type == CheckDNS && ch.Server == "" && a.Address != "" {
			ch.Server = net.JoinHostPort(a.Address, strconv.Itoa(DefaultDNSPort))
		}
	}
}

func (c *Config) applyServiceDefaults() {
	for i := range c.Services {
		if c.Services[i].Rule == "" {
			c.Services[i].Rule = "all"
		}
	}
}

func (ch *Check) applyTypeDefaults() {
	switch ch.Type {
	case CheckICMP:
		if ch.Count <= 0 {
			ch.Count = DefaultICMPCount
		}
		setDur(&ch.PacketInterval, DefaultICMPInterval)
	case CheckHTTP:
		if ch.Method == "" {
			ch.Method = DefaultHTTPMethod
		}
	case CheckDNS:
		if ch.RecordType == "" {
			ch.RecordType = DefaultDNSRecordType
		}
	case CheckSNMP:
		ch.applySNMPDefaults()
	case CheckTLS:
		if ch.Port == 0 {
			ch.Port = DefaultTLSPort
		}
		if ch.Days == nil {
			w, c := float64(DefaultTLSWarnDays), float64(DefaultTLSCritDays)
			ch.Days = &Limits{Warn: &w, Crit: &c}
		}
	}
	if ch.ExpectList == nil {
		switch e := ch.Expect.(type) {
		case string:
			ch.ExpectList = []string{e}
		case []any:
			for _, v := range e {
				if s, ok := v.(string); ok {
					ch.ExpectList = append(ch.ExpectList, s)
				}
			}
		case []string:
			ch.ExpectList = e
		}
	}
}

func (ch *Check) applySNMPDefaults() {
	if ch.Port == 0 {
		ch.Port = DefaultSNMPPort
	}
	if ch.Version == "" {
		ch.Version = DefaultSNMPVersion
	}
	if ch.Version != "3" && ch.Community == (Secret{}) {
		ch.Community = NewSecret(DefaultSNMPCommunity)
	}
	if ch.SNMPRetries == nil {
		n := DefaultSNMPRetries
		ch.SNMPRetries = &n
	}
	// SNMPv1 has no GETBULK: a default there would be written out by
	// Encode and then rejected by the loader.
	if ch.MaxRepetitions == 0 && ch.Version != "1" {
		ch.MaxRepetitions = DefaultSNMPMaxRepetitions
	}
}

func setDur(d *Duration, def time.Duration) {
	if d.Duration <= 0 {
		*d = D(def)
	}
}
