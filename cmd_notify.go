package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/notify"
)

func newNotifyCmd(g *globalFlags) *cobra.Command {
	var test string
	cmd := &cobra.Command{
		Use:   "notify --test NAME",
		Short: "Send a test message to a [[notify]] receiver and print each attempt",
		Long: `notify --test NAME sends a test message (kind "test", asset "noctop-test") to the
[[notify]] receiver called NAME, with its timeout and retries, and prints each
attempt. Exit 0 when the receiver took it, 1 when it did not or the config
could not be loaded.`,
		Example: `  noctop notify --test noc-hook -c noctop.toml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if test == "" {
				fmt.Fprintln(errw, "noctop notify: --test NAME is required (the name of a [[notify]] receiver)")
				return exitError{code: 1}
			}
			cfg, _, err := loadConfig(cmd.Context(), errw, g.configPath)
			if err != nil {
				return exitError{code: 1}
			}
			rcv := cfg.Notifier(test)
			if rcv == nil {
				fmt.Fprintf(errw, "noctop notify: no [[notify]] named %q in %s (%s)\n", test, configLabel(cfg), receiverNames(cfg))
				return exitError{code: 1}
			}
			err = notify.Test(cmd.Context(), *rcv, notify.Options{}, func(s string) { fmt.Fprintln(out, s) })
			if err != nil {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&test, "test", "", "send a test message to the [[notify]] receiver with this name")
	return cmd
}

// receiverNames lists the configured receivers for a message.
func receiverNames(cfg *model.Config) string {
	if len(cfg.Notify) == 0 {
		return "it has no [[notify]] receivers"
	}
	names := make([]string, len(cfg.Notify))
	for i := range cfg.Notify {
		names[i] = cfg.Notify[i].Name
	}
	return "receivers: " + strings.Join(names, ", ")
}
