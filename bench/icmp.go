package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// benchICMP: noctop check --json on N loopback targets x 3 packets against
// fping -C3 -q -i1 -p20 -t500 on the same targets, and noctop validate of
// that config.
func benchICMP(ctx context.Context, e *env) (string, error) {
	n := icmpTargets(e.opts)
	targets := loopbackTargets(1, n)
	list := filepath.Join(e.dir, "targets.txt")
	cfg := filepath.Join(e.dir, "icmp.toml")
	if err := writeFile(list, lines(targets)); err != nil {
		return "", err
	}
	if err := writeFile(cfg, icmpConfig(targets, icmpOpts{interval: "30s"})); err != nil {
		return "", err
	}
	nc := measured{label: "`noctop check --json`", short: "noctop"}
	fp := measured{label: "`fping -C3 -q -i1 -p20 -t500 -f targets`", short: "fping"}
	var ncLoss, ncUnknown, fpLoss series
	mode := ""
	for round := range e.opts.rounds {
		steps := []func() error{
			func() error {
				u, out, _, err := e.run.run(ctx, "", e.noctop, "check", "--json", "-c", cfg)
				// Exit 2 or 3 is noctop's verdict (loss, UNKNOWN): counted below.
				if err != nil && !(errors.Is(err, errExit) && u.exit <= 3) {
					return err
				}
				rep, t, _, err := readCheckJSON(out)
				os.Remove(out)
				if err != nil {
					return err
				}
				if t.targets != n {
					return fmt.Errorf("%w: noctop checked %d icmp targets, want %d", errOutput, t.targets, n)
				}
				mode = rep.ICMPMode
				nc.add(u)
				ncLoss = append(ncLoss, float64(t.lost))
				ncUnknown = append(ncUnknown, float64(t.unknown))
				e.logf("icmp round %d: noctop %v, %d lost, %d unknown", round+1, u, t.lost, t.unknown)
				return nil
			},
			func() error {
				u, _, errOut, err := e.run.run(ctx, "", "fping", "-C3", "-q", "-i1", "-p20", "-t500", "-f", list)
				// fping exits 1 when a target did not answer: counted below.
				if err != nil && !(errors.Is(err, errExit) && u.exit == 1) {
					return err
				}
				f, err := os.Open(errOut)
				if err != nil {
					return err
				}
				t, err := parseFping(f, 3)
				f.Close()
				if err != nil {
					return err
				}
				if t.targets != n {
					return fmt.Errorf("%w: fping reported %d targets, want %d", errOutput, t.targets, n)
				}
				fp.add(u)
				fpLoss = append(fpLoss, float64(t.lost))
				e.logf("icmp round %d: fping %v, %d lost", round+1, u, t.lost)
				return nil
			},
		}
		if err := alternate(round, steps); err != nil {
			return "", err
		}
	}
	nc.extra = []string{cell(ncLoss, count, " lost") + ", " + cell(ncUnknown, count, " UNKNOWN")}
	fp.extra = []string{cell(fpLoss, count, " lost")}
	c := comparison{
		title: fmt.Sprintf("ICMP: %s loopback targets x 3 packets", count(float64(n))),
		intro: fmt.Sprintf("The same %s targets (127.1.0.1 ... ) for both: noctop's config gives each an icmp check "+
			"with count 3, packet_interval 20ms, timeout 500ms (the default 256 checks at a time; ICMP mode %s). "+
			"Every target answers, so any loss is false loss.", count(float64(n)), mode),
		extraCols: []string{"false loss (of " + count(float64(3*n)) + " packets)"},
		rows:      []measured{nc, fp},
		ref:       1,
	}
	if !e.opts.quick { // the goals are for 10,000 targets
		cpuRatio := ratioMedian(nc.cpu, fp.cpu)
		rss, _ := nc.rss.median()
		lost, _ := ncLoss.median()
		c.notes = append(c.notes, fmt.Sprintf("Goal (issue 10): CPU <= 1.0x fping's: %sx, %s; peak RSS <= 30 MB: %s MiB, %s; no false loss: %s.",
			ratioText(cpuRatio), goalText(cpuRatio <= 1), sig3(rss), goalText(rss*mibToMB <= 30), goalText(lost == 0)))
	}
	c.notes = append(c.notes, "fping's wall time is set by `-i1` (one packet per ms to all targets); noctop's by 256 checks at a time, each 2 x 20 ms plus the reply.")
	return c.markdown(), nil
}

// icmpTargets is the ICMP sweep's size.
func icmpTargets(o options) int {
	if o.quick {
		return 1000
	}
	return 10000
}

// benchValidate: noctop validate of the ICMP sweep's config (written by
// benchICMP, or here when run alone).
func benchValidate(ctx context.Context, e *env) (string, error) {
	n := icmpTargets(e.opts)
	cfg := filepath.Join(e.dir, "icmp.toml")
	if _, err := os.Stat(cfg); err != nil {
		if err := writeFile(cfg, icmpConfig(loopbackTargets(1, n), icmpOpts{interval: "30s"})); err != nil {
			return "", err
		}
	}
	st, err := os.Stat(cfg)
	if err != nil {
		return "", err
	}
	v := measured{label: "`noctop validate`", short: "noctop"}
	for round := range e.opts.rounds {
		u, _, _, err := e.run.run(ctx, "", e.noctop, "validate", "-c", cfg)
		if err != nil {
			return "", err
		}
		v.add(u)
		e.logf("validate round %d: %v", round+1, u)
	}
	c := comparison{
		title: fmt.Sprintf("Config: `noctop validate` of the %s-asset ICMP config", count(float64(n))),
		intro: fmt.Sprintf("The ICMP sweep's config above: %s assets with one icmp check each, %s KiB. No reference tool.", count(float64(n)), count(float64(st.Size()/1024))),
		rows:  []measured{v},
		ref:   -1,
	}
	if !e.opts.quick {
		cpu, _ := v.cpu.median()
		rss, _ := v.rss.median()
		c.notes = append(c.notes, fmt.Sprintf("Goal (issue 10): < 25 MB: %s MiB, %s; < 0.15 s: %s CPU-s, %s.",
			sig3(rss), goalText(rss*mibToMB < 25), sig3(cpu), goalText(cpu < 0.15)))
	}
	return c.markdown(), nil
}
