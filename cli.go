package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"noctop/model"
)

// globalFlags are the flags every command shares.
type globalFlags struct {
	configPath string
}

func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	var mode monitorMode
	root := &cobra.Command{
		Use:   "noctop",
		Short: "Live terminal dashboard for network, application and business status",
		Long: `noctop polls network devices (ICMP, and SNMP v1/v2c/v3 for interfaces, traffic
and errors), receives their SNMP traps, checks application endpoints (HTTP, TCP,
DNS, TLS) and this machine's hardware, and rolls them up into business services.

Without a subcommand it runs the monitor. Config search order: --config,
$NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml; with none
found it watches this host only.`,
		Example: `  noctop demo                 # a loopback lab with a scripted outage
  noctop check --json         # every check once, exit code 0/1/2/3
  noctop validate -c my.toml  # every config error at once
  noctop init noctop.toml     # a starter config for this host
  noctop sla --window 7d      # availability of services and assets, from the store
  noctop discover 192.0.2.0/24 -o site.toml   # find the devices of a range`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, note, plan, err := mode.shard.loadConfig(cmd, g.configPath)
			if err != nil {
				return err
			}
			mode.tui.plan, mode.headless.plan = plan, plan
			ms, err := openMonitorStore(cmd.Context(), cmd.ErrOrStderr(), mode.store, cfg)
			if err != nil {
				serveHint(cmd.Context(), cmd.ErrOrStderr(), mode.store, cfg, err)
				return exitError{code: 3}
			}
			defer ms.close()
			mode.tui.store, mode.headless.store = ms, ms
			mx, err := listenMetrics(cmd.Context(), cmd.ErrOrStderr(), mode.metrics)
			if err != nil {
				return exitError{code: 3}
			}
			defer mx.close()
			mode.tui.metrics, mode.headless.metrics = mx, mx
			if mode.wantsTUI(cmd.OutOrStdout(), cmd.ErrOrStderr()) {
				return runTUI(cmd.Context(), cmd.OutOrStdout(), cfg, note, mode.tui, nil)
			}
			return runHeadless(cmd.Context(), cmd.ErrOrStderr(), cfg, note, mode.headless)
		},
	}
	root.PersistentFlags().StringVarP(&g.configPath, "config", "c", "", "config file (TOML)")
	mode.headless.register(root)
	mode.tui.register(root)
	mode.store.register(root)
	mode.metrics.register(root)
	mode.shard.register(root)
	root.AddCommand(
		newCheckCmd(g),
		newValidateCmd(g),
		newSLACmd(g),
		newEventsCmd(g),
		newAckCmd(g),
		newUnackCmd(g),
		newMaintenanceCmd(g),
		newNotifyCmd(g),
		newServeCmd(g),
		newViewCmd(),
		newRenewalsCmd(g),
		newShardsCmd(g),
		newInitCmd(),
		newDemoCmd(),
		newDiscoverCmd(),
		newTopologyCmd(g),
		newVersionCmd(),
	)
	return root
}

// configLabel names the config in output: its path, or "(built-in)".
func configLabel(cfg *model.Config) string {
	if cfg.Path == "" {
		return "(built-in)"
	}
	return cfg.Path
}

// configSearch lists where Find looks, for the messages that say none was
// found.
const configSearch = "--config, $NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml"

// writeConfigHint ends every message about a missing config.
const writeConfigHint = "write one with `noctop init`"

// loadConfig finds and loads the config. Problems are printed to w, one per
// line as file:line:col: message. With no config anywhere it returns the
// built-in default and a note saying how to write a config. A signal while
// a (huge) config loads ends ctx: loadConfig then says so in one line and
// returns an error wrapping context.Canceled.
func loadConfig(ctx context.Context, w io.Writer, flagPath string) (*model.Config, string, error) {
	return loadConfigEach(ctx, w, flagPath, nil)
}

// loadConfigEach is loadConfig that hands each asset of a config file to
// each as soon as it is read and checked (model.LoadEach); the built-in
// config goes to nobody.
func loadConfigEach(ctx context.Context, w io.Writer, flagPath string, each func(*model.Config, *model.Asset)) (*model.Config, string, error) {
	path, err := model.Find(flagPath)
	if errors.Is(err, model.ErrConfigNotFound) && path == "" && flagPath == "" {
		return model.Builtin(), "no config found: watching this host only; " + writeConfigHint, nil
	}
	if err != nil {
		fmt.Fprintf(w, "noctop: %v\n", err)
		return nil, "", err
	}
	cfg, err := loadConfigFile(ctx, w, path, each)
	if err != nil {
		return nil, "", err
	}
	return cfg, "", nil
}

// loadConfigFile loads the config at path, printing its errors to w, or
// one line when ctx ended the load.
func loadConfigFile(ctx context.Context, w io.Writer, path string, each func(*model.Config, *model.Asset)) (*model.Config, error) {
	cfg, err := model.LoadEach(ctx, path, each)
	if err != nil {
		printLoadError(ctx, w, path, err)
		return nil, err
	}
	return cfg, nil
}

// printLoadError prints a load's errors to w, or one line when ctx ended
// the load.
func printLoadError(ctx context.Context, w io.Writer, path string, err error) {
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintf(w, "noctop: stopped loading %s: %v\n", path, context.Cause(ctx))
		return
	}
	fmt.Fprintln(w, err)
}

// plural is "1 asset", "2 assets", "0 assets".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
