package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/store"
)

// storeFlags choose the monitor's database.
type storeFlags struct {
	stateDir string
	noStore  bool
}

func (f *storeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.stateDir, "state-dir", "", "directory of the database (noctop.db); overrides state_dir (default $XDG_STATE_HOME/noctop)")
	cmd.Flags().BoolVar(&f.noStore, "no-store", false, "keep nothing on disk: states, events and history last as long as this run")
}

// databasePath is where the database is: --state-dir, then the config's
// state_dir, then $XDG_STATE_HOME/noctop.
// commandDatabase is the database a command beside the monitor (events,
// ack, maintenance) reads or queues into, found as the monitor finds it:
// --state-dir, else the config's state_dir (the config is read only for
// that: its own problems are for validate), else the default. A failure is
// said on stderr and is exit 3.
func commandDatabase(ctx context.Context, stderr io.Writer, configPath, stateDir string) (string, error) {
	var cfg *model.Config
	if stateDir == "" {
		var err error
		if cfg, _, err = loadConfig(ctx, stderr, configPath); err != nil {
			return "", exitError{code: 3}
		}
	}
	path, err := databasePath(stateDir, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "noctop: %v\n", err)
		return "", exitError{code: 3}
	}
	return path, nil
}

func databasePath(flagDir string, cfg *model.Config) (string, error) {
	switch {
	case flagDir != "":
		return filepath.Join(flagDir, store.FileName), nil
	case cfg != nil && cfg.StateDir != "":
		return filepath.Join(cfg.StateDir, store.FileName), nil
	}
	return store.DefaultPath()
}

// monitorStore is the store a monitor runs with. A nil one (--no-store,
// the demo) keeps nothing: every method does nothing.
type monitorStore struct {
	st      *store.Store
	resumed *model.Resume // until resume hands it over
	seq     uint64        // resumed.EventSeq
	reports chan string   // what the store says for the log and status line
}

// openMonitorStore opens the database for a monitor and reads what the
// last run left. Its error was printed to w (the caller exits 3): another
// noctop holds the database, or the file is not one noctop can use.
func openMonitorStore(ctx context.Context, w io.Writer, f storeFlags, cfg *model.Config) (*monitorStore, error) {
	if f.noStore {
		return nil, nil
	}
	path, err := databasePath(f.stateDir, cfg)
	if err == nil {
		var ms *monitorStore
		ms, err = openAt(ctx, path)
		if err == nil {
			return ms, nil
		}
	}
	fmt.Fprintf(w, "noctop: %v\n", err)
	return nil, err
}

func openAt(ctx context.Context, path string) (*monitorStore, error) {
	ms := &monitorStore{reports: make(chan string, 16)}
	st, err := store.Open(ctx, path, store.Options{Report: func(msg string) {
		select {
		case ms.reports <- msg:
		default: // the log is behind; Status still says it
		}
	}})
	if err != nil {
		return nil, err
	}
	ms.st = st
	if ms.resumed, err = st.Resume(ctx); err != nil {
		st.Close()
		return nil, err
	}
	ms.seq = ms.resumed.EventSeq
	return ms, nil
}

// resume hands over what the engine starts from (nil: PENDING), once: kept
// here, 10,000 checks' saved histories stayed live for the process's life
// (a dashboard resumed from 10,000 checks peaked at 212 MiB instead of 107).
func (ms *monitorStore) resume() *model.Resume {
	if ms == nil {
		return nil
	}
	r := ms.resumed
	ms.resumed = nil
	return r
}

// eventSeq is the last event the earlier run wrote (0: none): the resumed
// engine numbers on from it.
func (ms *monitorStore) eventSeq() uint64 {
	if ms == nil {
		return 0
	}
	return ms.seq
}

// archive is what the screens read stored data through (nil: none).
func (ms *monitorStore) archive() model.Archive {
	if ms == nil {
		return nil
	}
	return ms.st
}

// feed writes what e publishes to the store and hands what the store says
// to say, until stop, which writes what is left and waits.
func (ms *monitorStore) feed(ctx context.Context, e *model.Engine, say func(string)) (stop func()) {
	if ms == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	sub := e.Subscribe()
	ms.st.Operate(operationHandlers(e)) // noctop ack / unack from other processes
	var wg sync.WaitGroup
	wg.Go(func() {
		defer sub.Close()
		_ = ms.st.Run(ctx, sub.C) // only a read-only store fails, and this one is not
	})
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-ms.reports:
				say(msg)
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// close closes the database and lets the next noctop have it.
func (ms *monitorStore) close() {
	if ms != nil {
		_ = ms.st.Close()
	}
}
