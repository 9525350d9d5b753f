package main

import (
	"errors"
	"fmt"
	"io"

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
		Long: `noctop polls networks (ICMP), checks application endpoints (HTTP, TCP, DNS, TLS)
and this machine's hardware, and rolls them up into business services.

Without a subcommand it runs the monitor. Config search order: --config,
$NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml; with none
found it watches this host only.`,
		Example: `  noctop demo                 # a loopback lab with a scripted outage
  noctop check --json         # every check once, exit code 0/1/2/3
  noctop validate -c my.toml  # every config error at once
  noctop init noctop.toml     # a starter config for this host`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, note, err := loadConfig(cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			if mode.wantsTUI(cmd.OutOrStdout(), cmd.ErrOrStderr()) {
				return runTUI(cmd.Context(), cmd.OutOrStdout(), cfg, note, mode.tui, nil)
			}
			return runHeadless(cmd.Context(), cmd.ErrOrStderr(), cfg, note, mode.headless)
		},
	}
	root.PersistentFlags().StringVarP(&g.configPath, "config", "c", "", "config file (TOML)")
	mode.headless.register(root)
	mode.tui.register(root)
	root.AddCommand(
		newCheckCmd(g),
		newValidateCmd(g),
		newInitCmd(),
		newDemoCmd(),
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

// loadConfig finds and loads the config. Problems are printed to w, one per
// line as file:line:col: message. With no config anywhere it returns the
// built-in default and a note saying how to write a config.
func loadConfig(w io.Writer, flagPath string) (*model.Config, string, error) {
	path, err := model.Find(flagPath)
	if errors.Is(err, model.ErrConfigNotFound) && path == "" && flagPath == "" {
		return model.Builtin(), "no config found: watching this host only; write one with `noctop init`", nil
	}
	if err != nil {
		fmt.Fprintf(w, "noctop: %v\n", err)
		return nil, "", err
	}
	cfg, err := model.Load(path)
	if err != nil {
		fmt.Fprintln(w, err)
		return nil, "", err
	}
	return cfg, "", nil
}
