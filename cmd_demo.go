package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"noctop/lab"
	"noctop/model"
	"noctop/probes"
)

// demoFlags are the demo command's options.
type demoFlags struct {
	labOnly     bool
	writeConfig string
	noOutage    bool
	outage      bool // with --lab-only: play the script on the lab too
	mode        monitorMode
}

func newDemoCmd() *cobra.Command {
	var d demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start a loopback lab and monitor it, with a scripted outage and recovery",
		Long: `demo starts a small estate on 127.0.0.0/8 — a router, a core switch, two
access switches and a UPS (SNMP), web shop, ERP, CRM, DMS, an HTTPS portal with
an expiring certificate, a mail gateway and a DNS server — writes a config for
it and monitors it. Every 3 minutes the script replays: a switch port loses
its link (15 s), the core switch fails for 45 s and takes everything behind it
down (30 s), the ERP health endpoint fails (90 s), an access switch reboots
into new firmware (100 s), the UPS runs on battery (105 s), and the CRM is
upgraded to 4.3.0 (125 s): ERP's link to it breaks, tied to the upgrade,
until a rollback (165 s). Nothing leaves the loopback interface.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return d.run(cmd) },
	}
	cmd.Flags().BoolVar(&d.labOnly, "lab-only", false, "run only the lab, until interrupted")
	cmd.Flags().StringVar(&d.writeConfig, "write-config", "", "write the lab's config to this file (its CA and the AP vendor's profile go next to it)")
	cmd.Flags().BoolVar(&d.noOutage, "no-outage", false, "keep the lab healthy (no scripted outage)")
	cmd.Flags().BoolVar(&d.outage, "outage", false, "with --lab-only, replay the scripted outage on the lab (for pollers started elsewhere)")
	d.mode.headless.register(cmd)
	d.mode.tui.register(cmd)
	d.mode.metrics.register(cmd)
	return cmd
}

// run starts the lab, writes its config and monitors it (under the
// dashboard or headless), or with --lab-only just keeps the lab running.
func (d *demoFlags) run(cmd *cobra.Command) error {
	ctx := cmd.Context()
	if d.outage && !d.labOnly {
		return errors.New("the flag --outage goes with --lab-only: the monitored demo plays the script unless --no-outage")
	}
	dir, cleanup, err := demoDir(d.writeConfig)
	if err != nil {
		return err
	}
	defer cleanup()
	l, err := lab.Start(ctx, dir)
	if err != nil {
		return err
	}
	defer l.Close()
	path := d.writeConfig
	if path == "" {
		path = filepath.Join(dir, "noctop-lab.toml")
	}
	if err := l.WriteConfig(path); err != nil {
		return err
	}
	if d.labOnly {
		out := cmd.OutOrStdout()
		fmt.Fprintf(out, "lab running on 127.0.0.0/8; config written to %s\nrun: noctop -c %s   (Ctrl-C stops the lab)\n", path, path)
		fmt.Fprintf(out, "discover its SNMP devices: noctop discover 127.0.1.0/24 --port %d\n", l.SNMPPort())
		if d.outage {
			// Each step is printed, so whoever runs pollers against the
			// lab knows what they should be seeing.
			stop := playScript(ctx, l, func(msg string) { fmt.Fprintln(out, "demo: "+msg) })
			defer stop()
		}
		<-ctx.Done()
		return nil
	}
	cfg, err := model.Load(path)
	if err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), err)
		return exitError{code: 3}
	}
	mx, err := listenMetrics(ctx, cmd.ErrOrStderr(), d.mode.metrics)
	if err != nil {
		return exitError{code: 3}
	}
	defer mx.close()
	d.mode.tui.metrics, d.mode.headless.metrics = mx, mx
	res := probes.WithResolver(l.Resolver())
	if d.mode.wantsTUI(cmd.OutOrStdout(), cmd.ErrOrStderr()) {
		return d.dashboard(ctx, cmd.OutOrStdout(), l, cfg, res)
	}
	return d.headless(ctx, cmd.ErrOrStderr(), l, cfg, res)
}

// dashboard monitors the lab under the dashboard; the script's steps go to
// its status line.
func (d *demoFlags) dashboard(ctx context.Context, stdout io.Writer, l *lab.Lab, cfg *model.Config, res probes.SetOption) error {
	var notices chan string // nil without a script: no notices
	if !d.noOutage {
		notices = make(chan string, 16)
		stop := playScript(ctx, l, func(msg string) {
			select {
			case notices <- "demo: " + msg:
			default: // the dashboard is behind: it shows the next one
			}
		})
		defer stop()
	}
	return runTUI(ctx, stdout, cfg, demoNote(d.noOutage), d.mode.tui, notices, res)
}

// headless monitors the lab with one log line per event; the script's
// steps are logged as warnings.
func (d *demoFlags) headless(ctx context.Context, stderr io.Writer, l *lab.Lab, cfg *model.Config, res probes.SetOption) error {
	log, err := d.mode.headless.logger(stderr)
	if err != nil {
		return err
	}
	if !d.noOutage {
		stop := playScript(ctx, l, func(msg string) { log.Warn("demo: " + msg) })
		defer stop()
	}
	return runHeadless(ctx, stderr, cfg, "", d.mode.headless, res)
}

// playScript plays the demo's script on l in the background until ctx ends
// or stop is called; stop waits for it, so no step runs on a closed lab.
func playScript(ctx context.Context, l *lab.Lab, say func(string)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { demoScript(l).run(ctx, say) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// demoNote is the dashboard's first status line in the demo.
func demoNote(noOutage bool) string {
	if noOutage {
		return "demo: loopback lab, no scripted outage"
	}
	return "demo: loopback lab; core-sw1 fails 30 s in, crm is upgraded at 2:05 (every 3 min) — watch the banner, then press t"
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
		period: 3 * time.Minute,
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
			{105 * time.Second, "ups1 runs on battery: charge 40%, 18 min left", func() { ups.SetBatteryCharge(40); ups.SetOnBattery(true) }},
			{110 * time.Second, "erp recovers", func() { l.SetHealthy(lab.ERP, true) }},
			{118 * time.Second, "ups1 is back on mains", func() { ups.SetOnBattery(false); ups.SetBatteryCharge(100) }},
			{125 * time.Second, "crm is upgraded to " + lab.CRMUpgrade + ": erp's link to it breaks", func() { _ = l.SetAppVersion(lab.CRM, lab.CRMUpgrade) }},
			{165 * time.Second, "crm is rolled back to " + lab.CRMVersion, func() { _ = l.SetAppVersion(lab.CRM, lab.CRMVersion) }},
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
