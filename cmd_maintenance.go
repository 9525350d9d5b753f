package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"noctop/store"
)

// maxAdHocWindow bounds an ad hoc window: longer planned work belongs in
// the config's [[maintenance]], where it is reviewed.
const maxAdHocWindow = 7 * 24 * time.Hour

func newMaintenanceCmd(g *globalFlags) *cobra.Command {
	var f ackFlags
	var dur time.Duration
	var end bool
	cmd := &cobra.Command{
		Use:   "maintenance ASSET --for 2h -m TEXT",
		Short: "Open (or --end) an ad hoc maintenance window on the running monitor",
		Long: `maintenance puts an asset in an ad hoc maintenance window from now for the
given duration: it is still checked and shown, as MAINTENANCE with the
window's end; assets cut off only by it are covered too; nothing is notified
and availability does not count the window. A second window on the asset
replaces the first; --end closes it early. A problem still present when the
window ends is notified then, once.

Like ack it queues the operation in the database the monitor writes and waits
up to 3 s for the monitor's verdict (with no monitor running it applies when
one starts, from then until the end given here). Exit 0 applied, 1 rejected,
3 the database cannot be read, 4 queued but not applied yet.`,
		Example: `  noctop maintenance core-sw1 --for 2h -m "firmware upgrade"
  noctop maintenance core-sw1 --end`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := parseSubject(args[0])
			if err != nil {
				return err
			}
			if key.Check != "" {
				return fmt.Errorf("%q: a window covers a whole asset, not one check", args[0])
			}
			if end {
				return runOperation(cmd, g, f, store.OpEndMaintenance, args[0])
			}
			switch {
			case dur <= 0:
				return errors.New("--for DURATION is required (e.g. --for 2h), or --end")
			case dur > maxAdHocWindow:
				return fmt.Errorf("--for %v: at most %v; plan longer work as a [[maintenance]] window in the config", dur, maxAdHocWindow)
			}
			f.until = time.Now().Add(dur).Truncate(time.Second)
			return runOperation(cmd, g, f, store.OpMaintenance, args[0])
		},
	}
	cmd.Flags().DurationVar(&dur, "for", 0, "how long the window lasts from now (e.g. 90m, 2h)")
	cmd.Flags().StringVarP(&f.comment, "message", "m", "", "the reason: what is being done, a change ticket")
	cmd.Flags().BoolVar(&end, "end", false, "end the asset's ad hoc window now")
	registerOperationFlags(cmd, &f)
	return cmd
}
