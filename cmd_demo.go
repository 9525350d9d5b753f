package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"noctop/lab"
	"noctop/model"
	"noctop/probes"
)

func newDemoCmd() *cobra.Command {
	var (
		labOnly     bool
		writeConfig string
		noOutage    bool
		mode        monitorMode
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start a loopback lab and monitor it, with a scripted outage and recovery",
		Long: `demo starts a small estate on 127.0.0.0/8 — a router, a core switch, two
access switches and a UPS (SNMP), web shop, ERP, CRM, DMS, an HTTPS portal with
an expiring certificate, a mail gateway and a DNS server — writes a config for
it and monitors it. Every 2 minutes the script replays: a switch port loses
its link (15 s), the core switch fails for 45 s and takes everything behind it
down (30 s), the ERP health endpoint fails (90 s), an access switch reboots
into new firmware (100 s) and the UPS runs on battery (105 s). Nothing leaves
the loopback interface.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			dir, cleanup, err := demoDir(writeConfig)
			if err != nil {
				return err
			}
			defer cleanup()
			l, err := lab.Start(ctx, dir)
			if err != nil {
				return err
			}
			defer l.Close()
			path := writeConfig
			if path == "" {
				path = filepath.Join(dir, "noctop-lab.toml")
			}
			if err := l.WriteConfig(path); err != nil {
				return err
			}
			if labOnly {
				fmt.Fprintf(cmd.OutOrStdout(), "lab running on 127.0.0.0/8; config written to %s\nrun: noctop -c %s   (Ctrl-C stops the lab)\n", path, path)
				<-ctx.Done()
				return nil
			}
			cfg, err := model.Load(path)
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return exitError{code: 3}
			}
			res := probes.WithResolver(l.Resolver())
			if mode.wantsTUI(cmd.OutOrStdout(), cmd.ErrOrStderr()) {
				// The script's steps go to the dashboard's status line.
				notices := make(chan string, 16)
				var wg sync.WaitGroup
				defer wg.Wait()
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				wg.Go(func() {
					defer close(notices)
					if noOutage {
						return
					}
					demoScript(l).run(ctx, func(msg string) {
						select {
						case notices <- "demo: " + msg:
						default: // the dashboard is behind: it shows the next one
						}
					})
				})
				return runTUI(ctx, cmd.OutOrStdout(), cfg, demoNote(noOutage), mode.tui, notices, res)
			}
			log, err := mode.headless.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if !noOutage {
				script := demoScript(l)
				go script.run(ctx, func(msg string) { log.Warn("demo: " + msg) })
			}
			return runHeadless(ctx, cmd.ErrOrStderr(), cfg, "", mode.headless, res)
		},
	}
	cmd.Flags().BoolVar(&labOnly, "lab-only", false, "run only the lab, until interrupted")
	cmd.Flags().StringVar(&writeConfig, "write-config", "", "write the lab's config to this file (its CA goes next to it)")
	cmd.Flags().BoolVar(&noOutage, "no-outage", false, "keep the lab healthy (no scripted outage)")
	mode.headless.register(cmd)
	mode.tui.register(cmd)
	return cmd
}

// demoNote is the dashboard's first status line in the demo.
func demoNote(noOutage bool) string {
	if noOutage {
		return "demo: loopback lab, no scripted outage"
	}
	return "demo: loopback lab; core-sw1 fails 30 s in (every 2 min) — watch the banner, then press t"
}

// demoDir is where the lab writes its CA and config: next to --write-config,
// or a temporary folder removed on exit.
func demoDir(writeConfig string) (string, func(), error) {
	if writeConfig != "" {
		return filepath.Dir(writeConfig), func() {}, nil
	}
	dir, err := os.MkdirTemp("", "noctop-demo-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// script is a timeline of lab changes that repeats every period.
type script struct {
	period time.Duration
	steps  []scriptStep
}

type scriptStep struct {
	at  time.Duration
	say string
	do  func()
}

func demoScript(l *lab.Lab) script {
	accSw1, accSw2, ups := l.SNMPDevice(lab.AccSw1), l.SNMPDevice(lab.AccSw2), l.SNMPDevice(lab.UPS1)
	firmware := 0
	return script{
		period: 2 * time.Minute,
		steps: []scriptStep{
			{15 * time.Second, "acc-sw2 port 5 loses its link", func() { _ = accSw2.SetOper(5, false) }},
			{30 * time.Second, "core-sw1 fails: everything behind it goes dark", func() { l.SetHealthy(lab.CoreSwitch, false) }},
			{75 * time.Second, "core-sw1 is back", func() { l.SetHealthy(lab.CoreSwitch, true) }},
			{85 * time.Second, "acc-sw2 port 5 is back", func() { _ = accSw2.SetOper(5, true) }},
			{90 * time.Second, "erp health endpoint fails", func() { l.SetHealthy(lab.ERP, false) }},
			{100 * time.Second, "acc-sw1 reboots into new firmware", func() {
				firmware++
				accSw1.SetFirmware(fmt.Sprintf("noctop lab access switch AS-24, firmware 1.%d.0", firmware))
				accSw1.Reboot()
			}},
			{105 * time.Second, "ups1 runs on battery: charge 40%", func() { ups.SetBatteryCharge(40) }},
			{110 * time.Second, "erp recovers", func() { l.SetHealthy(lab.ERP, true) }},
			{118 * time.Second, "ups1 is back on mains", func() { ups.SetBatteryCharge(100) }},
		},
	}
}

// run plays the script until ctx is done; say reports each step.
func (s script) run(ctx context.Context, say func(string)) {
	start := time.Now()
	for round := 0; ; round++ {
		for _, st := range s.steps {
			at := start.Add(time.Duration(round)*s.period + st.at)
			t := time.NewTimer(time.Until(at))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			st.do()
			say(st.say)
		}
	}
}
