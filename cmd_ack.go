package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/store"
)

// ackWait is how long `noctop ack` waits for the monitor's verdict: it
// polls its queue every second.
const ackWait = 3 * time.Second

// ackFlags are `noctop ack` and `noctop unack`'s flags.
type ackFlags struct {
	comment  string
	sticky   bool
	by       string
	stateDir string
	until    time.Time // maintenance: when the window ends
}

func newAckCmd(g *globalFlags) *cobra.Command {
	var f ackFlags
	cmd := &cobra.Command{
		Use:   "ack ASSET[/CHECK] -m TEXT",
		Short: "Acknowledge a problem on the running monitor: someone is on it",
		Long: `ack acknowledges a current problem of an asset (ASSET) or of one check
(ASSET/CHECK): the problem keeps its status but leaves the banner's red count
(it is counted as acked), and the ack is cleared when the problem recovers,
unless --sticky (then only noctop unack removes it).

It queues the ack in the database the monitor writes and waits up to 3 s for
the monitor's verdict. With no monitor running, the ack stays queued and
applies when one starts. The database is found as the monitor finds it:
--state-dir, then the config's state_dir, then $XDG_STATE_HOME/noctop.

Exit 0 applied, 1 rejected (no such asset, no current problem), 3 the
database cannot be read, 4 queued but not applied yet (no monitor running,
or it did not answer in time). A usage error exits 1 as in every command.`,
		Example: `  noctop ack erp/http -m "vendor ticket 4711"
  noctop ack core-sw1 -m "replacing the PSU" --sticky --by alice`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(f.comment) == "" {
				return errors.New("-m TEXT is required: say why, or who is on it")
			}
			return runOperation(cmd, g, f, store.OpAck, args[0])
		},
	}
	cmd.Flags().StringVarP(&f.comment, "message", "m", "", "the comment: why, who is on it, a ticket")
	cmd.Flags().BoolVar(&f.sticky, "sticky", false, "keep the ack through recovery, until noctop unack")
	registerOperationFlags(cmd, &f)
	return cmd
}

func newUnackCmd(g *globalFlags) *cobra.Command {
	var f ackFlags
	cmd := &cobra.Command{
		Use:   "unack ASSET[/CHECK]",
		Short: "Remove an acknowledgement on the running monitor",
		Long: `unack removes the acknowledgement of an asset or a check: the problem counts
in the banner's red count again. Like ack it goes through the database and
waits up to 3 s for the monitor. Exit 0 removed, 1 rejected (nothing
acknowledged), 3 the database cannot be read, 4 queued but not applied yet.`,
		Example: `  noctop unack erp/http`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOperation(cmd, g, f, store.OpUnack, args[0])
		},
	}
	registerOperationFlags(cmd, &f)
	return cmd
}

func registerOperationFlags(cmd *cobra.Command, f *ackFlags) {
	cmd.Flags().StringVar(&f.by, "by", "", "who acts (default $USER, else the uid's name)")
	cmd.Flags().StringVar(&f.stateDir, "state-dir", "", "directory of the database (noctop.db); overrides state_dir")
}

// parseSubject reads "erp" or "erp/http".
func parseSubject(s string) (model.CheckKey, error) {
	asset, check, _ := strings.Cut(s, "/")
	if asset == "" || strings.HasSuffix(s, "/") {
		return model.CheckKey{}, fmt.Errorf("%q: want ASSET or ASSET/CHECK", s)
	}
	return model.CheckKey{Asset: asset, Check: check}, nil
}

// runOperation queues one operation and reports the monitor's verdict.
func runOperation(cmd *cobra.Command, g *globalFlags, f ackFlags, kind, subject string) error {
	ctx, stdout, stderr := cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	key, err := parseSubject(subject)
	if err != nil {
		return err // a usage error: cobra prints it, exit 1
	}
	path, err := commandDatabase(ctx, stderr, g.configPath, f.stateDir)
	if err != nil {
		return err
	}
	ops, err := store.OpenOperations(ctx, path)
	if err != nil {
		fmt.Fprintf(stderr, "noctop: %v\n", err)
		return exitError{code: 3}
	}
	defer ops.Close()
	op := store.Operation{Kind: kind, Asset: key.Asset, Check: key.Check, By: operatorName(f.by),
		Comment: f.comment, Sticky: f.sticky, At: time.Now(), Until: f.until}
	id, err := ops.Queue(ctx, op)
	if err != nil {
		fmt.Fprintf(stderr, "noctop: %v\n", err)
		return exitError{code: 3}
	}
	running, lockErr := ops.MonitorRunning()
	wctx, cancel := context.WithTimeout(ctx, ackWait)
	defer cancel()
	mark := store.Mark{}
	if running || lockErr != nil {
		mark, err = ops.Wait(wctx, id, 100*time.Millisecond)
		if err != nil {
			fmt.Fprintf(stderr, "noctop: %v\n", err)
			return exitError{code: 3}
		}
	}
	return reportOperation(stdout, stderr, ops.Path(), op, mark, running, lockErr)
}

// reportOperation prints the verdict and returns the exit code.
func reportOperation(stdout, stderr io.Writer, db string, op store.Operation, m store.Mark, running bool, lockErr error) error {
	what := op.Asset
	if op.Check != "" {
		what += "/" + op.Check
	}
	switch {
	case m.Done && m.Rejected == "" && op.Kind == store.OpAck:
		sticky := ""
		if op.Sticky {
			sticky = " (sticky)"
		}
		fmt.Fprintf(stdout, "acknowledged %s by %s%s\n", what, op.By, sticky)
		return nil
	case m.Done && m.Rejected == "" && op.Kind == store.OpUnack:
		fmt.Fprintf(stdout, "acknowledgement of %s removed by %s\n", what, op.By)
		return nil
	case m.Done && m.Rejected == "" && op.Kind == store.OpMaintenance:
		fmt.Fprintf(stdout, "maintenance window on %s until %s by %s\n", what, op.Until.Local().Format("2006-01-02 15:04 MST"), op.By)
		return nil
	case m.Done && m.Rejected == "":
		fmt.Fprintf(stdout, "maintenance window on %s ended by %s\n", what, op.By)
		return nil
	case m.Done:
		fmt.Fprintf(stderr, "noctop %s: %s: rejected by the monitor: %s\n", op.Kind, what, m.Rejected)
		return exitError{code: 1}
	case lockErr != nil:
		fmt.Fprintf(stderr, "noctop %s: %s: queued in %s, not applied within %s (%v)\n", op.Kind, what, db, ackWait, lockErr)
	case running:
		fmt.Fprintf(stderr, "noctop %s: %s: the monitor on %s has not applied it within %s; it stays queued\n", op.Kind, what, db, ackWait)
	default:
		fmt.Fprintf(stderr, "noctop %s: %s: no monitor is running on %s: the %s applies when one starts\n", op.Kind, what, db, op.Kind)
	}
	return exitError{code: 4}
}
