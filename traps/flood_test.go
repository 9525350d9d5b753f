package traps_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/traps"
)

// sender is a gosnmp v2c trap sender bound to a loopback source address.
func sender(t *testing.T, rg *rig, from, community string) *gosnmp.GoSNMP {
	t.Helper()
	port, _ := strconv.Atoi(rg.port)
	g := &gosnmp.GoSNMP{
		Target: "127.0.0.1", Port: uint16(port), LocalAddr: from + ":0",
		Community: community, Version: gosnmp.Version2c, Timeout: time.Second,
	}
	if err := g.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Conn.Close() })
	return g
}

func linkDownTrap(index int) gosnmp.SnmpTrap {
	return gosnmp.SnmpTrap{Variables: []gosnmp.SnmpPDU{
		{Name: "1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: linkDown},
		{Name: ifIndex + strconv.Itoa(index), Type: gosnmp.Integer, Value: index},
	}}
}

// droppedIn sums N over the events "dropped N traps from <from> in the
// last ..." (rate-limit summaries).
func droppedIn(s *model.Snapshot, from string) (sum uint64, events int) {
	for _, ev := range s.Events {
		rest, ok := strings.CutPrefix(ev.Summary, "dropped ")
		if !ok || !strings.Contains(ev.Summary, " from "+from+" in the last ") || !strings.Contains(ev.Summary, "(rate limit") {
			continue
		}
		n, _, _ := strings.Cut(rest, " ")
		v, err := strconv.ParseUint(strings.ReplaceAll(n, ",", ""), 10, 64)
		if err == nil {
			sum += v
			events++
		}
	}
	return sum, events
}

// A storm of 5,000 traps from one source: the bucket passes the burst and
// then the rate, the rest is counted and summarised as one event per
// interval, rechecks stay at one per second, and the engine keeps applying
// results all along.
func TestFloodIsRateLimited(t *testing.T) {
	const sent = 5000
	cfg := trapConfig()
	cfg.Traps.Rate, cfg.Traps.Burst = 20, 100
	rg := startRig(t, cfg, traps.Options{SummaryEvery: 300 * time.Millisecond})
	g := sender(t, rg, "127.0.0.5", "public")

	start := time.Now()
	key := model.CheckKey{Asset: "gw1", Check: "icmp"}
	for i := range sent {
		if _, err := g.SendTrap(linkDownTrap(i)); err != nil {
			t.Fatalf("trap %d: %v", i, err)
		}
		if i%500 == 0 { // the engine still takes results and answers
			st := []model.Status{model.StatusOK, model.StatusCritical}[i/500%2]
			ctx, cancel := context.WithTimeout(rg.ctx, 5*time.Second)
			err := rg.e.Submit(ctx, model.Result{Key: key, Outcome: model.Outcome{Status: st, Summary: st.String()}})
			s, serr := rg.e.Sync(ctx)
			cancel()
			if err != nil || serr != nil {
				t.Fatalf("engine during the flood: %v %v", err, serr)
			}
			if got := s.Asset("gw1").Checks[0].Status; got != st {
				t.Fatalf("during the flood gw1/icmp is %s, want %s", got, st)
			}
		}
	}
	// Wait until every datagram read has been reported.
	var st traps.Stats
	var dropped uint64
	var summaries int
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := rg.e.Sync(rg.ctx)
		if err != nil {
			t.Fatal(err)
		}
		st = rg.r.Stats()
		dropped, summaries = droppedIn(s, "127.0.0.5")
		if st.RateLimited > 0 && dropped == st.RateLimited {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reported %d dropped in %d events, stats %+v; events:\n%s", dropped, summaries, st, rg.events())
		}
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(start)
	t.Logf("sent %d in %v: %+v; %d summary events", sent, elapsed, st, summaries)
	if st.Received > sent || st.Received != st.Accepted+st.RateLimited || st.AuthFailed+st.Malformed+st.EngineBusy != 0 {
		t.Errorf("stats do not add up: %+v", st)
	}
	if limit := 100 + uint64(20*elapsed.Seconds()) + 1; st.Accepted > limit {
		t.Errorf("accepted %d traps in %v, want at most burst + rate*t = %d", st.Accepted, elapsed, limit)
	}
	if st.Accepted < 100 {
		t.Errorf("accepted %d traps, want at least the burst (100)", st.Accepted)
	}
	if summaries == 0 || summaries > int(elapsed/(300*time.Millisecond))+2 {
		t.Errorf("%d summary events in %v: want one per interval at most", summaries, elapsed)
	}
	ev := rg.waitEvent("traps from 127.0.0.5 in the last 300ms (rate limit 20/s)")
	if ev.Asset != "core-sw1" {
		t.Errorf("summary event asset %q", ev.Asset)
	}
	if n := rg.rechecked("core-sw1", "icmp"); n < 1 || n > int(elapsed/time.Second)+1 {
		t.Errorf("%d rechecks in %v: want at most one per second", n, elapsed)
	}
}

// Rejections from many sources in one interval are folded into one event,
// so that a spoofed storm cannot flood the event log.
func TestManySourcesFoldIntoOneReport(t *testing.T) {
	rg := startRig(t, trapConfig(), traps.Options{SummaryEvery: 200 * time.Millisecond})
	for i := range 8 {
		g := sender(t, rg, fmt.Sprintf("127.0.1.%d", i+1), "wrong")
		if _, err := g.SendTrap(linkDownTrap(i)); err != nil {
			t.Fatal(err)
		}
	}
	ev := rg.waitEvent("from 8 sources")
	if !strings.HasPrefix(ev.Summary, "dropped 8 traps from 8 sources in the last ") || !strings.HasSuffix(ev.Summary, ": wrong community (8)") {
		t.Errorf("summary %q", ev.Summary)
	}
	for _, e := range rg.e.Latest().Events {
		if strings.Contains(e.Summary, "from 127.0.1.") {
			t.Errorf("a per-source report went out too: %q", e.Summary)
		}
	}
	if st := rg.r.Stats(); st.AuthFailed != 8 {
		t.Errorf("auth failures %d, want 8", st.AuthFailed)
	}
}
