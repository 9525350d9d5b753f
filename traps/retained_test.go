package traps

import (
	"context"
	"encoding/binary"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// BenchmarkFloodRetained replays the hostile-input review's flood on the
// receiver and a real engine: v3 traps naming a distinct user in every
// datagram (no credentials needed), every one let through the rate limit
// (the worst case: a high limit, or many sources). One op is one datagram;
// the clock advances 1ms per op and the receiver reports every 10s of it,
// as in production. It reports the heap in use once the flood has ended
// (held-MB, what the sources keep until their next report), once it has
// been reported (retained-MB, what the events keep), both after a GC, and
// the longest summary handed to the engine (max-summary-B). Run it with a
// fixed -benchtime (e.g. 5000x) to compare builds.
func BenchmarkFloodRetained(b *testing.B) {
	b.Run("64KB users from 4 sources", func(b *testing.B) {
		user := []byte(strings.Repeat("u", 65400))
		floodRetained(b, user, func(i int) netip.AddrPort {
			return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, byte(21 + i%4)}), 40000)
		})
	})
	b.Run("32-octet users from 100k sources", func(b *testing.B) {
		user := []byte(strings.Repeat("u", 32))
		floodRetained(b, user, func(i int) netip.AddrPort {
			i %= 100_000
			return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, byte(i >> 16), byte(i >> 8), byte(i)}), 40000)
		})
	})
}

// floodRetained sends b.N datagrams naming user with its first 8 octets
// replaced by the datagram's number, datagram i from src(i).
func floodRetained(b *testing.B, user []byte, src func(int) netip.AddrPort) {
	cfg := &model.Config{
		Assets: []model.Asset{{Name: "core-sw1", Address: "127.0.0.5"}},
		Traps: model.Traps{
			Listen: "127.0.0.1:0", Rate: 1e6, Burst: 1e6,
			Communities: []model.Secret{model.NewSecret("public")},
			Users: []model.TrapUser{{User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"),
				PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1")}},
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := model.NewEngine(cfg, model.EngineOptions{})
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	defer wg.Wait()
	defer cancel()

	var mu sync.Mutex
	longest := 0
	notify := func(n model.Notice) error {
		mu.Lock()
		longest = max(longest, len(n.Summary))
		mu.Unlock()
		return e.Notify(n)
	}
	r, err := Listen(ctx, cfg, Options{Notify: notify})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()

	msg := v3Message([]byte("\x80\x00\x1f\x88\x80\x01\x02\x03\x04"), user, flagAuth|flagPriv|flagReportable)
	at := strings.Index(string(msg), string(user)) // where the user name is, to make each one distinct
	inUse := func() int64 {
		if _, err := e.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapInuse)
	}
	before := inUse()

	now := time.Now()
	next := now.Add(DefaultSummaryEvery)
	i := 0
	for b.Loop() {
		binary.BigEndian.PutUint64(msg[at:], uint64(i))
		r.handle(msg, src(i), now)
		i++
		now = now.Add(time.Millisecond)
		if !now.Before(next) {
			r.flush(now)
			next = now.Add(DefaultSummaryEvery)
		}
	}
	held := inUse()
	r.flush(now.Add(DefaultReportEvery)) // report whatever is left
	retained := inUse()
	if st := r.Stats(); st.AuthFailed+st.Malformed != uint64(i) {
		b.Fatalf("stats %+v after %d datagrams", st, i)
	}
	b.ReportMetric(float64(held-before)/1e6, "held-MB")
	b.ReportMetric(float64(retained-before)/1e6, "retained-MB")
	mu.Lock()
	b.ReportMetric(float64(longest), "max-summary-B")
	mu.Unlock()
	runtime.KeepAlive(r)
}
