package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// engineHandlers wires operations to a real engine as main does.
func engineHandlers(e *model.Engine) Handlers {
	return Handlers{
		Ack:   func(ctx context.Context, op Operation) error { return e.Ack(ctx, op.AckRequest()) },
		Unack: func(ctx context.Context, op Operation) error { return e.Unack(ctx, op.Key(), op.By) },
	}
}

func openOps(t *testing.T, path string) *Operations {
	t.Helper()
	o, err := OpenOperations(context.Background(), path)
	if err != nil {
		t.Fatalf("OpenOperations: %v", err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// queueAndWait queues op and waits for the monitor's verdict.
func queueAndWait(t *testing.T, o *Operations, op Operation) Mark {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := o.Queue(ctx, op)
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	m, err := o.Wait(ctx, id, 10*time.Millisecond)
	if err != nil || !m.Done {
		t.Fatalf("operation %d not marked: %+v, %v", id, m, err)
	}
	return m
}

func TestOperationsAppliedByTheMonitor(t *testing.T) {
	clk := &clock{t: t0}
	r := startEngine(t, testConfig(2), clk.Now, nil)
	r.result("host0", model.StatusCritical, t0, 0)
	r.result("host0", model.StatusCritical, t0.Add(time.Second), 0)
	r.result("host1", model.StatusOK, t0, 1)
	r.sync()
	path := dbPath(t)
	s := openTest(t, path, Options{Now: clk.Now, FlushEvery: 20 * time.Millisecond})
	s.Operate(engineHandlers(r.e))
	sub := r.e.Subscribe()
	defer sub.Close()
	stop := runStore(t, s, sub.C)

	o := openOps(t, path)
	if up, err := o.MonitorRunning(); err != nil || !up {
		t.Errorf("MonitorRunning with the store open: %v, %v", up, err)
	}
	tests := []struct {
		op     Operation
		reject string // "" applied
	}{
		{Operation{Kind: OpAck, Asset: "host0", By: "alice", Comment: "on it"}, ""},
		{Operation{Kind: OpAck, Asset: "host1", Check: "icmp", By: "alice"}, "no current problem to acknowledge"},
		{Operation{Kind: OpAck, Asset: "nosuch", By: "alice"}, `unknown asset "nosuch"`},
		{Operation{Kind: OpUnack, Asset: "host0", Check: "icmp", By: "bob"}, "nothing acknowledged"},
		{Operation{Kind: OpMaintenance, Asset: "host0", By: "bob", Until: t0.Add(time.Hour)}, "maintenance windows are not implemented by this build"},
		{Operation{Kind: OpEndMaintenance, Asset: "host0", By: "bob"}, "maintenance windows are not implemented by this build"},
	}
	for _, tt := range tests {
		m := queueAndWait(t, o, tt.op)
		if tt.reject == "" && m.Rejected != "" || !strings.Contains(m.Rejected, tt.reject) {
			t.Errorf("%s %s/%s: rejected %q, want %q", tt.op.Kind, tt.op.Asset, tt.op.Check, m.Rejected, tt.reject)
		}
	}
	snap := r.sync()
	if a := snap.Asset("host0"); a.Ack == nil || a.Ack.By != "alice" || a.Ack.Comment != "on it" || snap.Tally.Acked != 1 {
		t.Fatalf("host0 ack %+v, tally %+v", a.Ack, snap.Tally)
	}
	stop()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if up, err := o.MonitorRunning(); err != nil || up {
		t.Errorf("MonitorRunning after Close: %v, %v", up, err)
	}

	// The ack is durable: the next run's Resume has it.
	s = openTest(t, path, Options{Now: clk.Now})
	defer s.Close()
	res, err := s.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := res.Acks[model.CheckKey{Asset: "host0"}]; !ok || a.By != "alice" || a.Comment != "on it" || len(res.Acks) != 1 {
		t.Fatalf("resumed acks %+v", res.Acks)
	}
}

// Rows queued while no monitor runs are applied when one starts; a stopped
// engine leaves them queued.
func TestOperationsQueuedBeforeAMonitor(t *testing.T) {
	clk := &clock{t: t0}
	path := dbPath(t)
	if err := openTest(t, path, Options{Now: clk.Now}).Close(); err != nil {
		t.Fatal(err)
	}
	o := openOps(t, path)
	if up, err := o.MonitorRunning(); err != nil || up {
		t.Fatalf("MonitorRunning with no monitor: %v, %v", up, err)
	}
	ctx := context.Background()
	id, err := o.Queue(ctx, Operation{Kind: OpAck, Asset: "host0", Check: "icmp", By: "carol", Comment: "queued", Sticky: true})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := o.Mark(ctx, id); err != nil || m.Done {
		t.Fatalf("marked before any monitor: %+v, %v", m, err)
	}

	// A monitor whose engine stopped leaves the row for the next one.
	called := make(chan struct{}, 1)
	s := openTest(t, path, Options{Now: clk.Now, FlushEvery: 20 * time.Millisecond})
	s.Operate(Handlers{Ack: func(context.Context, Operation) error {
		called <- struct{}{}
		return model.ErrEngineStopped
	}})
	stop := runStore(t, s, make(chan *model.Snapshot))
	<-called
	stop()
	s.Close()
	if m, err := o.Mark(ctx, id); err != nil || m.Done {
		t.Fatalf("marked by a stopped engine: %+v, %v", m, err)
	}

	r := startEngine(t, testConfig(1), clk.Now, nil)
	r.result("host0", model.StatusCritical, t0, 0)
	r.result("host0", model.StatusCritical, t0.Add(time.Second), 0)
	r.sync()
	s = openTest(t, path, Options{Now: clk.Now, FlushEvery: 20 * time.Millisecond})
	defer s.Close()
	s.Operate(engineHandlers(r.e))
	sub := r.e.Subscribe()
	defer sub.Close()
	runStore(t, s, sub.C)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m, err := o.Wait(wctx, id, 10*time.Millisecond)
	if err != nil || !m.Done || m.Rejected != "" {
		t.Fatalf("queued ack: %+v, %v", m, err)
	}
	if a := r.sync().Asset("host0").Check("icmp").Ack; a == nil || !a.Sticky || a.By != "carol" {
		t.Fatalf("ack %+v", a)
	}
}

func TestQueueRefusesBadOperations(t *testing.T) {
	path := dbPath(t)
	if err := openTest(t, path, Options{}).Close(); err != nil {
		t.Fatal(err)
	}
	o := openOps(t, path)
	for _, op := range []Operation{
		{Kind: "reboot", Asset: "a", By: "x"},
		{Kind: OpAck, By: "x"},
		{Kind: OpAck, Asset: "a"},
		{Kind: OpMaintenance, Asset: "a", By: "x"},
	} {
		if _, err := o.Queue(context.Background(), op); !errors.Is(err, ErrBadOperation) {
			t.Errorf("Queue(%+v): %v", op, err)
		}
	}
	if _, err := OpenOperations(context.Background(), dbPath(t)); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("OpenOperations without a database: %v", err)
	}
}

// A database of schema 3 (built from the frozen copies) migrates to 4:
// operations can be queued and acks written; before the migration the CLI
// says to start the monitor once.
func TestOperationsAfterMigratingFromV3(t *testing.T) {
	path := dbPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		step, err := os.ReadFile(fmt.Sprintf("testdata/schema_v%d.sql", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(step)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := OpenOperations(context.Background(), path); !errors.Is(err, ErrOlderSchema) {
		t.Fatalf("OpenOperations on schema 3: %v", err)
	}
	if err := openTest(t, path, Options{}).Close(); err != nil { // migrates
		t.Fatal(err)
	}
	o := openOps(t, path)
	if _, err := o.Queue(context.Background(), Operation{Kind: OpAck, Asset: "a", By: "x"}); err != nil {
		t.Fatalf("Queue after migrating: %v", err)
	}
}
