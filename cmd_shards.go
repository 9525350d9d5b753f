package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/shard"
)

func newShardsCmd(g *globalFlags) *cobra.Command {
	var asJSON bool
	var n int
	cmd := &cobra.Command{
		Use:   "shards",
		Short: "How --shards N would split the config between pollers, and how evenly",
		Long: `shards prints, for each of N shards, the assets and services it owns (where
hashmod(name, N) is the shard: Prometheus's relabel hashmod, so a scrape config
can split the same way), those it borrows (the ancestors of what it polls and the
members of its services: polled to judge reachability, never exported or
alerted), and the checks it runs. Balance is max/mean over the shards: 1.00 is
even. Run each poller with --shard i --shards N (two with the same flags are an
HA pair).`,
		Example: `  noctop shards -c estate.toml --shards 4
  noctop shards -c estate.toml --shards 4 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("shards") {
				return fmt.Errorf("%w: shards needs --shards N: how many pollers to split the config between", shard.ErrPlan)
			}
			if err := (shard.Plan{Shards: n}).Check(); err != nil || n < 1 {
				if err == nil {
					err = fmt.Errorf("%w: --shards %d: want at least 1", shard.ErrPlan, n)
				}
				return err
			}
			cfg, _, err := loadConfig(cmd.Context(), cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			counts, err := shard.Count(cfg, n)
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: shards: %s: %v\n", configLabel(cfg), err)
				return exitError{code: 3}
			}
			rep := newShardsReport(cfg, counts)
			if asJSON {
				return writeReportJSON(cmd.OutOrStdout(), rep)
			}
			return writeShardsTable(cmd.OutOrStdout(), rep)
		},
	}
	cmd.Flags().IntVar(&n, "shards", 0, "how many shards to split the config into")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// shardsReport is what `noctop shards` prints.
type shardsReport struct {
	Config   string       `json:"config"`
	Shards   int          `json:"shards"`
	Assets   int          `json:"assets"`
	Services int          `json:"services"`
	PerShard []shardCount `json:"per_shard"`
	// Balance is max/mean over the shards of owned assets and of checks
	// run (owned and borrowed); 1 is even.
	Balance shardBalance `json:"balance"`
}

type shardCount struct {
	Shard            int `json:"shard"`
	Assets           int `json:"assets"`
	BorrowedAssets   int `json:"borrowed_assets"`
	Services         int `json:"services"`
	BorrowedServices int `json:"borrowed_services"`
	// Checks is every check the shard runs: its own assets' and the
	// borrowed ones'.
	Checks         int `json:"checks"`
	BorrowedChecks int `json:"borrowed_checks"`
}

type shardBalance struct {
	Assets float64 `json:"assets"`
	Checks float64 `json:"checks"`
}

func newShardsReport(cfg *model.Config, counts []shard.Ownership) shardsReport {
	rep := shardsReport{Config: configLabel(cfg), Shards: len(counts), Assets: len(cfg.Assets), Services: len(cfg.Services)}
	assets := make([]int, len(counts))
	checks := make([]int, len(counts))
	for i, o := range counts {
		rep.PerShard = append(rep.PerShard, shardCount{
			Shard: i, Assets: o.Assets, BorrowedAssets: o.BorrowedAssets, Services: o.Services, BorrowedServices: o.BorrowedServices,
			Checks: o.Checks + o.BorrowedChecks, BorrowedChecks: o.BorrowedChecks,
		})
		assets[i], checks[i] = o.Assets, o.Checks+o.BorrowedChecks
	}
	rep.Balance = shardBalance{Assets: maxOverMean(assets), Checks: maxOverMean(checks)}
	return rep
}

// maxOverMean is 1 for an even split, 0 when there is nothing to split.
func maxOverMean(xs []int) float64 {
	top, sum := 0, 0
	for _, x := range xs {
		top, sum = max(top, x), sum+x
	}
	if sum == 0 {
		return 0
	}
	return float64(top) * float64(len(xs)) / float64(sum)
}

func writeShardsTable(w io.Writer, rep shardsReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "shard\tassets\tborrowed\tservices\tborrowed\tchecks\tof them borrowed\t")
	for _, s := range rep.PerShard {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.Shard, s.Assets, s.BorrowedAssets, s.Services, s.BorrowedServices, s.Checks, s.BorrowedChecks)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s: %s and %s in %d shards; balance (max/mean): assets %.2f, checks run %.2f\n",
		rep.Config, plural(rep.Assets, "asset"), plural(rep.Services, "service"), rep.Shards, rep.Balance.Assets, rep.Balance.Checks)
	return err
}
