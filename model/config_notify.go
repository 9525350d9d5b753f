package model

import "time"

// Notification receiver types.
const (
	NotifyWebhook      = "webhook"
	NotifyExec         = "exec"
	NotifyAlertmanager = "alertmanager"
)

// NotifyTypes lists the receiver types, in documentation order.
func NotifyTypes() []string { return []string{NotifyWebhook, NotifyExec, NotifyAlertmanager} }

// Defaults of a [[notify]] receiver.
const (
	DefaultNotifyTimeout = 10 * time.Second
	DefaultNotifyRetries = 3
	// MaxNotifyRetries bounds the retries: with exponential backoff more
	// would keep a message queued for hours.
	MaxNotifyRetries = 10
)

// Notify is one [[notify]] receiver: where messages about problems go and
// which problems it wants.
type Notify struct {
	// Name is unique among the receivers; events and `notify --test` use it.
	Name string `toml:"name"`
	// Type is webhook, exec or alertmanager.
	Type string `toml:"type"`
	// URL: webhook, the address to POST to; alertmanager, the base URL
	// (the alerts go to URL/api/v2/alerts).
	URL string `toml:"url"`
	// URLs (alertmanager, instead of URL) are the Alertmanagers of a
	// cluster: each gets every alert, as Prometheus sends them.
	URLs []string `toml:"urls"`
	// Headers are sent with every request (webhook, alertmanager).
	Headers map[string]Secret `toml:"headers"`
	// Command (exec) is the program and its arguments, run without a shell.
	Command []string `toml:"command"`
	// Timeout bounds one attempt (default 10 s).
	Timeout Duration `toml:"timeout"`
	// Renotify repeats a problem's message while it lasts; 0 or unset:
	// never.
	Renotify Duration `toml:"renotify"`
	// Layers, Tags and MinStatus filter the assets: only these layers
	// (empty: all), assets with one of these tags (empty: all), problems
	// at least this bad (WARNING, the default, CRITICAL or UNKNOWN).
	Layers    []string `toml:"layers"`
	Tags      []string `toml:"tags"`
	MinStatus string   `toml:"min_status"`
	// Retries is how many times a failed attempt is tried again (default
	// 3), with exponential backoff.
	Retries int `toml:"retries"`
	// SendRecovery sends a message when a notified problem is OK again
	// (default true).
	SendRecovery *bool `toml:"send_recovery"`
}

// NotifyKeys lists the keys a receiver of type typ accepts; nil for an
// unknown type.
func NotifyKeys(typ string) []string {
	common := []string{"name", "type", "timeout", "renotify", "layers", "tags", "min_status", "retries", "send_recovery"}
	switch typ {
	case NotifyWebhook:
		return append(common, "url", "headers")
	case NotifyAlertmanager:
		return append(common, "url", "urls", "headers")
	case NotifyExec:
		return append(common, "command")
	}
	return nil
}

// Endpoints are the URLs a webhook or alertmanager receiver sends to:
// URLs when set, else URL.
func (n *Notify) Endpoints() []string {
	if len(n.URLs) > 0 {
		return n.URLs
	}
	if n.URL == "" {
		return nil
	}
	return []string{n.URL}
}

// MinSeverity is the status a problem must reach to be sent: MinStatus
// parsed, WARNING when unset.
func (n *Notify) MinSeverity() Status {
	if st, err := ParseStatus(n.MinStatus); err == nil && st.IsProblem() {
		return st
	}
	return StatusWarning
}

// Recovery reports whether recoveries are sent.
func (n *Notify) Recovery() bool { return n.SendRecovery == nil || *n.SendRecovery }

// applyDefaults fills the timeout and retries.
func (n *Notify) applyDefaults() {
	setDur(&n.Timeout, DefaultNotifyTimeout)
	if n.Retries <= 0 {
		n.Retries = DefaultNotifyRetries
	}
}

// Notifier finds a receiver by name (nil when none).
func (c *Config) Notifier(name string) *Notify {
	for i := range c.Notify {
		if c.Notify[i].Name == name {
			return &c.Notify[i]
		}
	}
	return nil
}
