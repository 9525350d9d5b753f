// Command noctop watches an IT estate — network devices, hosts, application
// endpoints and the business services built from them — and shows it live
// in a terminal. main wires the pieces: config (model), probes and
// scheduler (probes), engine (model), and the front ends.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	// The zone database inside the binary: maintenance windows name IANA
	// zones, and a machine without /usr/share/zoneinfo must read them too.
	_ "time/tzdata"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries an exit code out of a command. Its message, if any, was
// already printed by the command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes the CLI and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stacks, stop := notifyStop(ctx)
	defer stop()
	root := newRootCmd()
	code := 0
	catchExitCodes(root, &code)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := fang.Execute(ctx, root, fang.WithVersion(versionString()))
	if b := stacks(); b != nil {
		// What Go does on SIGQUIT, after the front end has ended (the
		// terminal restored, "noctop stopped" logged).
		fmt.Fprintf(stderr, "SIGQUIT: goroutines when it arrived:\n\n%s", b)
		return 2
	}
	if err != nil {
		return 1 // fang printed it (a usage error or a failure)
	}
	return code
}

// stopSignal is the cause of the ctx a signal ended.
type stopSignal struct{ sig syscall.Signal }

func (s stopSignal) Error() string { return "received " + unix.SignalName(s.sig) }

// notifyStop returns a ctx that SIGINT, SIGTERM and SIGQUIT end, with a
// stopSignal as its cause: every command stops cleanly on them (the
// dashboard restores the terminal, the log says "noctop stopped"). SIGQUIT
// keeps Go's meaning as well: stacks returns the goroutines taken when it
// arrived, for run to print. After the first signal a second one gets the
// default action (a stuck noctop can still be killed, or dumped at once).
// SIGHUP is left to the monitor (see runHeadless, runTUI): to the one-shot
// commands a hang-up is fatal as usual.
func notifyStop(parent context.Context) (ctx context.Context, stacks func() []byte, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGQUIT)
	var mu sync.Mutex
	var dump []byte
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			sig, _ := s.(syscall.Signal)
			if sig == syscall.SIGQUIT {
				b := allStacks()
				mu.Lock()
				dump = b
				mu.Unlock()
			}
			cancel(stopSignal{sig})
		case <-done:
		}
	})
	stacks = func() []byte {
		mu.Lock()
		defer mu.Unlock()
		return dump
	}
	stop = func() {
		signal.Stop(sigs)
		close(done)
		wg.Wait()
		cancel(nil)
	}
	return ctx, stacks, stop
}

// allStacks is every goroutine's stack, as the runtime prints on SIGQUIT.
func allStacks() []byte {
	for n := 1 << 16; ; n *= 2 {
		buf := make([]byte, n)
		if m := runtime.Stack(buf, true); m < n {
			return buf[:m]
		}
	}
}

// catchExitCodes turns an exitError from any command into a plain exit code
// before fang sees it: fang's error path queries the terminal for its
// background colour, which would slow every `noctop check` that exits
// non-zero and print nothing useful (the command already said why).
func catchExitCodes(cmd *cobra.Command, code *int) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			err := run(c, args)
			var ee exitError
			if errors.As(err, &ee) {
				*code = ee.code
				return nil
			}
			return err
		}
	}
	for _, sub := range cmd.Commands() {
		catchExitCodes(sub, code)
	}
}
