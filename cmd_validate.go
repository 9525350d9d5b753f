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
			defer oneShotGC()()
			releaseStartupPages()
			path, err := model.Find(g.configPath)
			if errors.Is(err, model.ErrConfigNotFound) {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: no config found (looked at %s); %s\n", configSearch, writeConfigHint)
				return exitError{code: 1}
			}
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: %v\n", err)
				return exitError{code: 1}
			}
			// Validate keeps no asset once checked: a config of any size
			// is checked in bounded memory.
			sum, err := model.Validate(cmd.Context(), path)
			if err != nil {
				printLoadError(cmd.Context(), cmd.ErrOrStderr(), path, err)
				return exitError{code: 1}
			}
			fmt.Fprintln(cmd.OutOrStdout(), summarizeConfig(sum))
			return nil
		},
	}
}

// summarizeConfig is validate's one-line summary.
func summarizeConfig(s model.Summary) string {
	return fmt.Sprintf("%s: OK, %s (%d technical, %d application), %s, %s",
		s.Path, plural(s.Assets, "asset"), s.Technical, s.Application,
		plural(s.Checks, "check"), plural(s.Services, "service"))
}
