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
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: no config found (looked at %s); %s\n", configSearch, writeConfigHint)
				return exitError{code: 1}
			}
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: %v\n", err)
				return exitError{code: 1}
			}
			cfg, err := loadConfigFile(cmd.Context(), cmd.ErrOrStderr(), path)
			if err != nil {
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
	return fmt.Sprintf("%s: OK, %s (%d technical, %d application), %s, %s",
		cfg.Path, plural(len(cfg.Assets), "asset"), byLayer[model.LayerTechnical], byLayer[model.LayerApplication],
		plural(cfg.NumChecks(), "check"), plural(len(cfg.Services), "service"))
}
