package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"noctop/model"
)

func newValidateCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check a config: a one-line summary, or every error as file:line:col",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := model.Find(g.configPath)
			if errors.Is(err, model.ErrConfigNotFound) {
				fmt.Fprintln(cmd.ErrOrStderr(), "noctop: no config found (looked at --config, $NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml); write one with `noctop init`")
				return exitError{code: 1}
			}
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: %v\n", err)
				return exitError{code: 1}
			}
			cfg, err := model.Load(path)
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return exitError{code: 1}
			}
			fmt.Fprintln(cmd.OutOrStdout(), summarizeConfig(cfg))
			return nil
		},
	}
}

// summarizeConfig is validate's one-line summary.
func summarizeConfig(cfg *model.Config) string {
	byLayer := map[string]int{}
	for _, a := range cfg.Assets {
		byLayer[a.Layer]++
	}
	return fmt.Sprintf("%s: OK, %d assets (%d technical, %d application), %d checks, %d services",
		cfg.Path, len(cfg.Assets), byLayer[model.LayerTechnical], byLayer[model.LayerApplication],
		cfg.NumChecks(), len(cfg.Services))
}
