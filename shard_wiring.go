package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/shard"
)

// shardFlags are --shard, --shards and --site of the monitor commands: the
// part of the estate this poller owns (NOTES.md, Scale-out). Two pollers
// with the same flags are an HA pair.
type shardFlags struct {
	shard, shards int
	site          string
	// set: which of them the command line gave (a default 0 is no shard).
	shardSet, shardsSet, siteSet bool
}

func (f *shardFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.shard, "shard", 0, "own the assets where hashmod(name, --shards) is this (0 to N-1); needs --shards")
	cmd.Flags().IntVar(&f.shards, "shards", 0, "how many shards the estate is split into (Prometheus's hashmod of the asset name); needs --shard")
	cmd.Flags().StringVar(&f.site, "site", "", "site name: a label (site) on every exported series and alert")
}

// plan reads the flags cmd parsed into a plan, or says which combination
// is wrong.
func (f *shardFlags) plan(cmd *cobra.Command) (shard.Plan, error) {
	fl := cmd.Flags()
	f.shardSet, f.shardsSet, f.siteSet = fl.Changed("shard"), fl.Changed("shards"), fl.Changed("site")
	p := shard.Plan{Shard: f.shard, Shards: f.shards, Site: f.site}
	switch {
	case f.shardSet && !f.shardsSet:
		return p, fmt.Errorf("%w: --shard %d needs --shards N: how many shards the estate is split into", shard.ErrPlan, f.shard)
	case f.shardsSet && !f.shardSet:
		return p, fmt.Errorf("%w: --shards %d needs --shard i (0 to %d): which of them this poller owns", shard.ErrPlan, f.shards, max(f.shards-1, 0))
	case f.shardsSet && f.shards < 1:
		return p, fmt.Errorf("%w: --shards %d: want at least 1", shard.ErrPlan, f.shards)
	case f.siteSet && f.site == "":
		return p, fmt.Errorf("%w: --site is empty: name the site, or leave the flag out", shard.ErrPlan)
	}
	return p, p.Check()
}

// loadConfig reads the plan from the flags cmd parsed (a wrong
// combination is returned as it is: a usage error), then loads the config
// at flagPath and keeps what the plan polls (a config that cannot be is
// exit status 3, the reason printed).
func (f *shardFlags) loadConfig(cmd *cobra.Command, flagPath string) (cfg *model.Config, note string, plan shard.Plan, err error) {
	if plan, err = f.plan(cmd); err != nil {
		return nil, "", plan, err
	}
	if cfg, note, err = loadConfig(cmd.Context(), cmd.ErrOrStderr(), flagPath); err != nil {
		return nil, "", plan, exitError{code: 3}
	}
	if cfg, err = splitConfig(cmd.ErrOrStderr(), cfg, plan); err != nil {
		return nil, "", plan, exitError{code: 3}
	}
	return cfg, note, plan, nil
}

// splitConfig keeps of cfg what plan polls (shard.Split), printing why it
// cannot to w.
func splitConfig(w io.Writer, cfg *model.Config, plan shard.Plan) (*model.Config, error) {
	part, _, err := shard.Split(cfg, plan)
	if err != nil {
		fmt.Fprintf(w, "noctop: %s: %v\n", configLabel(cfg), err)
		return nil, err
	}
	return part, nil
}

// planAttrs name the plan in the headless log's start line (none when
// the poller owns everything at no site).
func planAttrs(plan shard.Plan, cfg *model.Config) []any {
	var out []any
	if plan.Site != "" {
		out = append(out, "site", plan.Site)
	}
	if plan.Sharded() {
		borrowed := 0
		for i := range cfg.Assets {
			if slices.Contains(cfg.Assets[i].Tags, shard.BorrowedTag) {
				borrowed++
			}
		}
		out = append(out, "shard", plan.Shard, "shards", plan.Shards, "borrowed", borrowed)
	}
	return out
}

// screenName is the config's name in the dashboard's header, with the
// plan when there is one: "estate.toml (site paris, shard 1 of 4)".
func screenName(cfg *model.Config, plan shard.Plan) string {
	name := filepath.Base(configLabel(cfg))
	var parts []string
	if plan.Site != "" {
		parts = append(parts, "site "+plan.Site)
	}
	if plan.Sharded() {
		parts = append(parts, fmt.Sprintf("shard %d of %d", plan.Shard, plan.Shards))
	}
	if len(parts) > 0 {
		name += " (" + strings.Join(parts, ", ") + ")"
	}
	return name
}

// setPlan makes m poll as plan says: a reload is split the same way, and
// the notifier labels its alerts and leaves borrowed assets out. Called
// before m runs.
func (m *monitor) setPlan(plan shard.Plan) {
	m.plan = plan
	if m.notifier != nil && (plan.Sharded() || plan.Site != "") {
		m.notifier = newNotifier(m.cfg, m.engine, plan)
	}
}
