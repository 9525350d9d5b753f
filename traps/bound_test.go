package traps

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"noctop/model"
)

// maxEventSummary is the longest summary an event of the receiver may
// have: maxSummary and model.Clip's "… (N bytes)".
var maxEventSummary = len(model.Clip(strings.Repeat("x", maxSummary+1_000_000), maxSummary))

// The review's flood, over real sockets: v3 traps with distinct 64 KB user
// names from 4 sources, then garbage with a dozen distinct reasons each
// from more sources than the receiver tracks, all let through the rate
// limit. What the receiver keeps stays bounded: the sources it tracks, the
// reasons per source, every summary it emits (and the engine's events).
// The bounds are checked on the receiver's own state, from its loop
// goroutine (Notify runs there), at every event.
func TestFloodStaysBounded(t *testing.T) {
	cfg := &model.Config{
		Traps: model.Traps{
			Listen: "127.0.0.1:0", Rate: 1e6, Burst: 1e6,
			Communities: []model.Secret{model.NewSecret("public")},
			Users: []model.TrapUser{{User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"),
				PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1")}},
		},
	}
	for i := range 10 { // see the end
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("marker%d", i), Address: fmt.Sprintf("127.0.0.%d", 51+i)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := model.NewEngine(cfg, model.EngineOptions{})
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	defer wg.Wait()

	// Written by the receiver's loop goroutine (in notify), read once Run
	// has returned.
	var (
		r                      *Receiver
		events, longest        int
		peakSources, peakRsns  int
		othersSeen, stateBytes int
		bad                    []string
	)
	notify := func(n model.Notice) error {
		events++
		longest = max(longest, len(n.Summary))
		if len(n.Summary) > maxEventSummary || !utf8.ValidString(n.Summary) {
			bad = append(bad, fmt.Sprintf("%d bytes: %.200q", len(n.Summary), n.Summary))
		}
		size, others := 0, 0
		for _, s := range append(mapValues(r.sources), r.overflow) {
			if s == nil {
				continue
			}
			if s.asset == "" && s != r.overflow {
				others++
			}
			peakRsns = max(peakRsns, len(s.failures.counts))
			if s.failures.other > 0 {
				othersSeen++
			}
			size += len(s.from)
			for _, c := range s.failures.counts {
				size += len(c.reason)
			}
		}
		stateBytes = max(stateBytes, size)
		// Assets always get their own state: the config bounds them.
		peakSources = max(peakSources, others)
		return e.Notify(n)
	}
	var err error
	r, err = Listen(ctx, cfg, Options{Notify: notify, SummaryEvery: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runErr := make(chan error, 1)
	go func() { runErr <- r.Run(ctx) }()

	sent := 0
	dst := net.UDPAddrFromAddrPort(r.Addr())
	send := func(from net.IP, msgs ...[]byte) {
		c, err := net.DialUDP("udp", &net.UDPAddr{IP: from}, dst)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for _, m := range msgs {
			if _, err := c.Write(m); err != nil {
				t.Fatalf("from %v: %v", from, err)
			}
			sent++
		}
	}
	// read waits until the receiver has read all that was sent, so that
	// the socket's buffer never overflows: every datagram counts.
	read := func() {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for r.Stats().Received < uint64(sent) {
			if time.Now().After(deadline) {
				t.Fatalf("the receiver read %d of %d datagrams", r.Stats().Received, sent)
			}
			time.Sleep(time.Millisecond)
		}
	}

	engineID := []byte("\x80\x00\x1f\x88\x80\x01\x02\x03\x04")
	const longUsers = 100 // per source
	long := []byte(strings.Repeat("u", 65400))
	for i := range longUsers {
		for k := range 4 {
			copy(long, fmt.Sprintf("%08d-%d", i, k)) // every name distinct
			send(net.IPv4(127, 0, 0, byte(21+k)), v3Message(engineID, long, flagAuth|flagPriv|flagReportable))
		}
		read()
	}
	// Garbage with 13 distinct reasons from each of 1,200 more sources:
	// more than maxSources.
	const garbageSources = maxSources + 176
	for i := range garbageSources {
		msgs := [][]byte{
			[]byte("hello, world"),
			communityMessage(1, []byte(strings.Repeat("c", 300))),
			v3Message(engineID, []byte(fmt.Sprintf("%032d", i)), flagAuth),
			v3Message([]byte(strings.Repeat("e", 40)), []byte("ops"), flagAuth),
		}
		for v := range 9 {
			msgs = append(msgs, communityMessage(4+v, []byte("public")))
		}
		send(net.IPv4(127, 1, byte(i/250), byte(1+i%250)), msgs...)
		if i%16 == 15 {
			read()
		}
	}
	read()
	// Wait until everything above has been reported. A trap from an asset
	// is reported on its own (under the asset), unless more than
	// maxReports sources have news at that tick; so send one from a new
	// asset after each new event until one is. Its tick came after all the
	// garbage had been read, and reported it.
	lastSeq := func() uint64 {
		snap, err := e.Sync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Events) == 0 {
			return 0
		}
		return snap.Events[len(snap.Events)-1].Seq
	}
	reportedAlone := func() bool {
		for _, ev := range e.Latest().Events {
			if strings.HasPrefix(ev.Asset, "marker") {
				return true
			}
		}
		return false
	}
	for i := 0; !reportedAlone(); i++ {
		if i == 10 {
			t.Fatal("no marker was reported on its own")
		}
		seq := lastSeq()
		send(net.IPv4(127, 0, 0, byte(51+i)), []byte("marker"))
		read()
		deadline := time.Now().Add(20 * time.Second)
		for lastSeq() == seq {
			if time.Now().After(deadline) {
				t.Fatal("no event after a marker")
			}
			time.Sleep(time.Millisecond)
		}
	}
	cancel()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}

	st := r.Stats()
	t.Logf("%d datagrams: %+v; %d events, longest summary %d bytes; peak %d sources, %d reasons per source, %d bytes of reasons",
		sent, st, events, longest, peakSources, peakRsns, stateBytes)
	if st.Received != uint64(sent) || st.AuthFailed+st.Malformed != st.Received {
		t.Errorf("stats %+v for %d datagrams, none of them a trap", st, sent)
	}
	for _, s := range bad {
		t.Errorf("summary over %d bytes or not UTF-8: %s", maxEventSummary, s)
	}
	if peakSources != maxSources || r.overflow == nil {
		t.Errorf("peak %d sources tracked besides assets (overflow %v), want the cap, %d, reached", peakSources, r.overflow != nil, maxSources)
	}
	if peakRsns != maxReasons || othersSeen == 0 {
		t.Errorf("peak %d reasons per source (others counted %d times), want the cap, %d, reached", peakRsns, othersSeen, maxReasons)
	}
	// Each tracked source keeps its address and at most maxReasons
	// clipped reasons.
	if limit := (maxSources + 1 + len(cfg.Assets)) * (len("255.255.255.255") + maxReasons*(model.MaxNetText+len("… (99999 bytes)"))); stateBytes > limit {
		t.Errorf("sources hold %d bytes of text, want at most %d", stateBytes, limit)
	}
	snap := e.Latest()
	var text int
	var sawLong, sawOther bool
	for _, ev := range snap.Events {
		text += len(ev.Summary)
		if strings.Contains(ev.Summary, strings.Repeat("u", maxUser+1)) {
			t.Errorf("an event quotes a long user name: %.200q", ev.Summary)
		}
		sawLong = sawLong || strings.Contains(ev.Summary, "v3 user name longer than 32 octets: not a USM user (RFC 3414) (")
		sawOther = sawOther || strings.Contains(ev.Summary, "other reasons (")
	}
	if !sawLong || !sawOther {
		t.Errorf("no event reports the long user names (%v) or other reasons (%v)", sawLong, sawOther)
	}
	if limit := len(snap.Events) * maxEventSummary; text > limit {
		t.Errorf("the engine's %d events hold %d bytes of summaries, want at most %d", len(snap.Events), text, limit)
	}
}

func mapValues[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
