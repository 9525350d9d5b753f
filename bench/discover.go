package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"noctop/lab/snmpagent"
)

// benchDiscover: `noctop discover` of a /22 of lab devices (a /24 with
// --quick) against what a script would do: `fping -a -g` of the range and
// one `snmpget` of the system group per host that answered (32 at a time
// through xargs), both whole processes.
func benchDiscover(ctx context.Context, e *env) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prefix, first, devices := "127.0.4.0/22", "127.0.4.1", 4*254 // every address the agent can take in the /22
	if e.opts.quick {
		prefix, devices = "127.0.4.0/24", 254
	}
	var agent *snmpagent.Agent
	var err error
	for range 20 { // one port on every address: retry when it is taken on one
		port, perr := benchUDPPort(first)
		if perr != nil {
			return "", perr
		}
		agent, err = snmpagent.Start(ctx, snmpagent.Options{Devices: devices, FirstAddr: first, Port: port,
			Spec: snmpagent.DeviceSpec{Interfaces: 8}})
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("lab SNMP agent: %w", err)
	}
	defer agent.Close()
	port := agent.Devices()[0].Port()
	script := filepath.Join(e.dir, "discover.sh")
	if err := writeFile(script, fmt.Sprintf("fping -a -q -r 0 -i 1 -g %s 2>/dev/null | xargs -P 32 -I{} "+
		"snmpget -v2c -c public -t 1 -r 0 -On -Oq {}:%d .1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.5.0 || true\n", prefix, port)); err != nil {
		return "", err
	}
	out := filepath.Join(e.dir, "discovered.toml")
	nc := measured{label: fmt.Sprintf("`noctop discover %s --port P -o FILE`", prefix), short: "noctop"}
	sh := measured{label: "`fping -a -i 1 -g` piped to `xargs -P 32 snmpget` (system group, one process per host)", short: "fping+snmpget"}
	for round := range e.opts.rounds {
		steps := []func() error{
			func() error {
				u, _, _, err := e.run.run(ctx, "", e.noctop, "discover", prefix, "--port", fmt.Sprint(port), "-o", out)
				if err != nil {
					return err
				}
				b, err := os.ReadFile(out)
				if err != nil {
					return err
				}
				if n := strings.Count(string(b), "[[asset]]\n"); n != devices {
					return fmt.Errorf("%w: noctop discover wrote %d assets, want %d", errOutput, n, devices)
				}
				nc.add(u)
				e.logf("discover round %d: noctop %v", round+1, u)
				return nil
			},
			func() error {
				u, outPath, _, err := e.run.run(ctx, "", "sh", script)
				if err != nil {
					return err
				}
				b, err := os.ReadFile(outPath)
				if err != nil {
					return err
				}
				if n := strings.Count(string(b), ".1.3.6.1.2.1.1.5.0 "); n != devices {
					return fmt.Errorf("%w: snmpget printed %d sysNames, want %d", errOutput, n, devices)
				}
				sh.add(u)
				e.logf("discover round %d: fping+snmpget %v", round+1, u)
				return nil
			},
		}
		if err := alternate(round, steps); err != nil {
			return "", err
		}
	}
	c := comparison{
		title: fmt.Sprintf("Discovery: a %s of %d lab devices", prefix[strings.IndexByte(prefix, '/'):], devices),
		intro: fmt.Sprintf("The lab's agent (in the harness) serves %d devices on every address of %s it can bind (not .0 and .255), "+
			"one UDP port. noctop pings every address of the range through one ICMP socket, reads the system group and the MIB roots "+
			"of each host that answers, then LLDP, bridge and ifPhysAddress tables where present, and writes the config. "+
			"Both ping at 1,000 per second (noctop's default --rate; fping -i 1, where fping's default 10 ms interval would take 10 s for a /22). "+
			"The script starts one snmpget per answering host (32 at a time) for the system group only; "+
			"in a /22 the addresses ending in .0 and .255 inside the range answer ping and get no SNMP answer on both sides.", devices, prefix),
		rows: []measured{nc, sh},
		ref:  1,
	}
	return c.markdown(), nil
}

// benchUDPPort is a UDP port free on host now.
func benchUDPPort(host string) (int, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(host)})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}
