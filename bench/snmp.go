package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"noctop/lab/snmpagent"
)

// The IF-MIB tables snmpbulkwalk walks.
const (
	oidIfTable  = ".1.3.6.1.2.1.2.2"
	oidIfXTable = ".1.3.6.1.2.1.31.1.1"
)

// benchSNMP: noctop check of one 48-interface device against two
// snmpbulkwalk processes (ifTable, ifXTable), both on the lab's agent,
// which runs in this process.
func benchSNMP(ctx context.Context, e *env) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	agent, err := snmpagent.Start(ctx, snmpagent.Options{
		FirstAddr: "127.0.1.201",
		// No port down: the check must be OK, so that exit 0 means it worked.
		Spec: snmpagent.DeviceSpec{Interfaces: 48, OperDownIf: -1},
	})
	if err != nil {
		return "", fmt.Errorf("lab SNMP agent: %w", err)
	}
	defer agent.Close()
	d := agent.Devices()[0]
	cfg := filepath.Join(e.dir, "snmp.toml")
	if err := writeFile(cfg, snmpConfig(d.Host(), d.Port())); err != nil {
		return "", err
	}
	walks := filepath.Join(e.dir, "walks.sh")
	walk := "snmpbulkwalk -v2c -c public -Cr25 -On -Oq " + d.Addr()
	if err := writeFile(walks, "set -e\n"+walk+" "+oidIfTable+"\n"+walk+" "+oidIfXTable+"\n"); err != nil {
		return "", err
	}
	nc := measured{label: "`noctop check --json` (one snmp check)", short: "noctop"}
	sw := measured{label: "2 x `snmpbulkwalk -v2c -Cr25 -On -Oq` (ifTable, ifXTable)", short: "snmpbulkwalk"}
	varbinds := 0
	for round := range e.opts.rounds {
		steps := []func() error{
			func() error {
				u, out, _, err := e.run.run(ctx, "", e.noctop, "check", "--json", "-c", cfg)
				if err != nil {
					return err
				}
				rep, _, byStatus, err := readCheckJSON(out)
				if err != nil {
					return err
				}
				if err := allOK(byStatus, 1); err != nil {
					return err
				}
				if n := ifCount(rep); n != 48 {
					return fmt.Errorf("%w: noctop saw %d interfaces, want 48", errOutput, n)
				}
				nc.add(u)
				e.logf("snmp round %d: noctop %v", round+1, u)
				return nil
			},
			func() error {
				u, out, _, err := e.run.run(ctx, "", "sh", walks)
				if err != nil {
					return err
				}
				b, err := os.ReadFile(out)
				if err != nil {
					return err
				}
				varbinds = strings.Count(string(b), "\n")
				if varbinds < 48*2 {
					return fmt.Errorf("%w: snmpbulkwalk printed %d lines, want at least 96", errOutput, varbinds)
				}
				sw.add(u)
				e.logf("snmp round %d: snmpbulkwalk %v, %d varbinds", round+1, u, varbinds)
				return nil
			},
		}
		if err := alternate(round, steps); err != nil {
			return "", err
		}
	}
	c := comparison{
		title: "SNMP: one device with 48 interfaces",
		intro: fmt.Sprintf("The lab's agent (`lab/snmpagent`, in the harness) serves one device on %s, v2c. "+
			"noctop's check reads the system group and the 12 interface columns it needs (one GETBULK walk, all columns per request); "+
			"snmpbulkwalk walks every column of ifTable and ifXTable (%s varbinds), two processes started by one `sh` "+
			"(its cost is in the figure).", d.Host(), count(float64(varbinds))),
		rows: []measured{nc, sw},
		ref:  1,
	}
	c.notes = append(c.notes, "DESIGN.md's goal, a poll >= 5x faster than snmpbulkwalk, is for the poll inside the running monitor "+
		"(in-process figures in the SNMP section below); a one-shot `noctop check` also pays for starting the process and loading the config.")
	return c.markdown(), nil
}

// ifCount is the if_count metric of the report's first snmp check.
func ifCount(rep checkJSON) int {
	for _, a := range rep.Assets {
		for _, c := range a.Checks {
			if c.Type == "snmp" {
				return int(metric(c.Metrics, "if_count"))
			}
		}
	}
	return 0
}
