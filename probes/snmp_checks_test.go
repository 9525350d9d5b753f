package probes

import (
	"sync"
	"testing"

	"noctop/model"
)

// snmpChecks runs snmp checks as the scheduler does: each check (a
// Target's *model.Check) is prepared once, and its Prepared, with the
// client and the last sample it keeps, runs the check's next run too.
// Another Target, even with the same names, is another check.
type snmpChecks struct {
	*SNMP
	mu       sync.Mutex
	prepared map[*model.Check]Prepared
}

// newSNMPChecks builds the prober; the caller closes it.
func newSNMPChecks(opts ...SNMPOption) *snmpChecks {
	return &snmpChecks{SNMP: NewSNMP(opts...), prepared: map[*model.Check]Prepared{}}
}

// of is tg's Prepared, prepared on first use; a check the prepare step
// refuses runs as under the scheduler (UNKNOWN with the reason).
func (p *snmpChecks) of(tg Target) Prepared {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.prepared[tg.Check]
	if !ok {
		r = prepareOrReport(p.Prepare, tg)
		p.prepared[tg.Check] = r
	}
	return r
}

// probeOf is the snmp probe tg runs, for tests that look inside it;
// tg's check must prepare.
func (p *snmpChecks) probeOf(tb testing.TB, tg Target) *snmpProbe {
	tb.Helper()
	r, ok := p.of(tg).(*snmpProbe)
	if !ok {
		tb.Fatalf("%s does not prepare: %v", tg.Asset.Key(tg.Check), p.of(tg).(*unprepared).err)
	}
	return r
}
