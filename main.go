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
	"syscall"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
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
	root := newRootCmd()
	code := 0
	catchExitCodes(root, &code)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := fang.Execute(ctx, root,
		fang.WithVersion(versionString()),
		fang.WithNotifySignal(os.Interrupt, syscall.SIGTERM),
	)
	if err != nil {
		return 1 // fang printed it (a usage error or a failure)
	}
	return code
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
