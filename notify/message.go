// Package notify tells receivers (webhooks, commands, Alertmanager) about
// problems. A Notifier reads the engine's snapshots, decides what to send
// with Rules (pure: a snapshot and a time in, messages out) and hands each
// message to the receiver's own goroutine, which sends it with retries.
// Every attempt is an event through the engine's Notify.
package notify

import (
	"fmt"
	"strings"
	"time"

	"noctop/model"
)

// Kind says why a message is sent.
type Kind string

// Message kinds.
const (
	// KindProblem: a problem turned hard, changed status, or is still
	// there when what held it (maintenance, flapping, an ack) ended.
	KindProblem Kind = "problem"
	// KindRenotify: the problem lasts; sent every renotify.
	KindRenotify Kind = "renotify"
	// KindRecovery: a notified problem is OK again.
	KindRecovery Kind = "recovery"
	// KindTest: `noctop notify --test`.
	KindTest Kind = "test"
)

// maxNames bounds the names a message lists (affected assets, services
// down); the counts stay exact.
const maxNames = 50

// Message is what a receiver is told about one asset.
type Message struct {
	Receiver string
	Kind     Kind
	Asset    string
	// Check is the check whose status the asset has ("" when none
	// stands out).
	Check string
	Layer string
	Tags  []string
	// Status is the asset's hard status: the problem's, OK for a recovery.
	Status model.Status
	// Previous is the status last sent for this problem (PENDING when
	// none): a recovery's problem, a status change's old status.
	Previous model.Status
	Reason   string
	// RootCause is true when the asset is down and cuts others off.
	RootCause bool
	// Affected counts the assets whose root causes include this asset;
	// AffectedNames lists at most maxNames of them.
	Affected      int
	AffectedNames []string
	// ServicesDown are the CRITICAL services that this asset, an affected
	// one or another of them makes fail (at most maxNames).
	ServicesDown []string
	Ack          *model.Ack
	Maintenance  *model.Maintenance
	Flapping     bool
	// Change is the change the problem followed ("began 2 min after crm
	// changed 4.2.0 -> 4.3.0"), "" when none.
	Change string
	// StartedAt is when the problem began; At when the message was made.
	StartedAt, At time.Time
}

// Recovery reports a recovery message.
func (m *Message) Recovery() bool { return m.Kind == KindRecovery }

// Summary is the message in one line: "core-sw1 CRITICAL (root cause):
// icmp: 3/3 lost; 20 unreachable behind it: a, b, c …; services down: ERP".
func (m *Message) Summary() string {
	var b strings.Builder
	switch m.Kind {
	case KindRecovery:
		fmt.Fprintf(&b, "%s recovered (%s, was %s)", m.Asset, m.Status, m.Previous)
		if !m.StartedAt.IsZero() && !m.At.IsZero() {
			fmt.Fprintf(&b, " after %s", m.At.Sub(m.StartedAt).Round(time.Second))
		}
		if m.Status != model.StatusOK && m.Reason != "" {
			b.WriteString(": " + m.Reason)
		}
		return b.String()
	case KindTest:
		return "test message from noctop to " + m.Receiver
	}
	b.WriteString(m.Asset + " " + m.Status.String())
	if m.RootCause {
		b.WriteString(" (root cause)")
	}
	if m.Kind == KindRenotify {
		b.WriteString(" still")
		if !m.StartedAt.IsZero() {
			fmt.Fprintf(&b, ", for %s", m.At.Sub(m.StartedAt).Round(time.Second))
		}
	}
	if m.Reason != "" {
		b.WriteString(": " + m.Reason)
	}
	if m.Affected > 0 {
		fmt.Fprintf(&b, "; %d unreachable behind it: %s", m.Affected, nameList(m.AffectedNames, m.Affected, 5))
	}
	if len(m.ServicesDown) > 0 {
		b.WriteString("; services down: " + nameList(m.ServicesDown, len(m.ServicesDown), 5))
	}
	return b.String()
}

// nameList joins at most show names of total, "a, b, c +17 more".
func nameList(names []string, total, show int) string {
	if len(names) > show {
		names = names[:show]
	}
	s := strings.Join(names, ", ")
	if rest := total - len(names); rest > 0 {
		s += fmt.Sprintf(" +%d more", rest)
	}
	return s
}

// Severity is the Alertmanager severity label of a status: "critical",
// "warning", "unknown" ("ok" for a recovery).
func Severity(st model.Status) string { return strings.ToLower(st.String()) }
