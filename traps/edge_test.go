package traps_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/traps"
)

// Datagrams that are no trap are dropped, counted and reported, never
// silently.
func TestMalformedIsReported(t *testing.T) {
	rg := startRig(t, trapConfig(), traps.Options{})
	c, err := net.DialUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 16)}, net.UDPAddrFromAddrPort(rg.r.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("hello, world")); err != nil {
		t.Fatal(err)
	}
	get := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
	msg, err := get.SnmpEncodePacket(gosnmp.GetRequest, []gosnmp.SnmpPDU{{Name: "1.3.6.1.2.1.1.5.0", Type: gosnmp.Null}}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	// Both reasons are reported, in one event or (if a tick fell between
	// the datagrams) two.
	var reports []string
	for text := ""; !strings.Contains(text, "not an SNMP message") || !strings.Contains(text, "not a trap: GetRequest"); {
		ev := rg.waitEvent("from 127.0.0.16")
		reports = append(reports, ev.Summary)
		text = strings.Join(reports, "\n")
	}
	if len(reports) == 1 && reports[0] != "dropped 2 traps from 127.0.0.16 in the last 1s: not a trap: GetRequest (1), not an SNMP message (1)" {
		t.Errorf("report %q", reports[0])
	}
	deadline := time.Now().Add(10 * time.Second)
	for rg.r.Stats().Malformed != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := rg.r.Stats(); st.Malformed != 2 || st.Accepted != 0 {
		t.Errorf("stats %+v, want 2 malformed", st)
	}
}

// When the engine has no room, the trap is counted and the loss reported
// in the next summary; the receiver never waits.
func TestEngineBusyIsReported(t *testing.T) {
	var mu sync.Mutex
	var got []model.Notice
	cfg := trapConfig()
	cfg.Traps.Listen = "127.0.0.1:0"
	cfg.ApplyDefaults()
	notify := func(n model.Notice) error {
		if strings.HasPrefix(n.Summary, "linkDown") {
			return model.ErrInboxFull // as Engine.Notify with a full inbox
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, n)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, err := traps.Listen(ctx, cfg, traps.Options{Notify: notify, SummaryEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	rg := &rig{t: t, r: r, port: strings.TrimPrefix(r.Addr().String(), "127.0.0.1:")}
	g := sender(t, rg, "127.0.0.5", "public")
	for i := range 3 {
		if _, err := g.SendTrap(linkDownTrap(i)); err != nil {
			t.Fatal(err)
		}
	}
	want := "3 traps from 127.0.0.5 not recorded: the engine was busy"
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		var found *model.Notice
		for i := range got {
			if got[i].Summary == want {
				found = &got[i]
			}
		}
		mu.Unlock()
		if found != nil {
			if found.Asset != "core-sw1" || found.Kind != model.EventTrap {
				t.Errorf("notice %+v", *found)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q; notices %+v", want, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := r.Stats(); st.EngineBusy != 3 || st.Accepted != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestListenErrors(t *testing.T) {
	notify := func(model.Notice) error { return nil }
	if _, err := traps.Listen(context.Background(), &model.Config{}, traps.Options{Notify: notify}); !errors.Is(err, traps.ErrDisabled) {
		t.Errorf("no listen: %v, want ErrDisabled", err)
	}
	hold, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	cfg := &model.Config{Traps: model.Traps{Listen: hold.LocalAddr().String(), Communities: []model.Secret{model.NewSecret("public")}}}
	if _, err := traps.Listen(context.Background(), cfg, traps.Options{Notify: notify}); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("port taken: %v", err)
	}
}
