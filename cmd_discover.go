package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"noctop/discover"
	"noctop/probes"
)

// discoverFlags are `noctop discover`'s options.
type discoverFlags struct {
	creds   discover.Credentials
	v3User  string
	out     string
	merge   string
	yes     bool
	noPing  bool
	rate    int
	workers int
	timeout time.Duration
}

func newDiscoverCmd() *cobra.Command {
	var f discoverFlags
	cmd := &cobra.Command{
		Use:   "discover CIDR...",
		Short: "Find the devices of address ranges (ICMP sweep, SNMP) and write them as a config",
		Long: `discover pings every address of the ranges (one echo request each, through one
shared ICMP socket, --rate per second at most), asks the hosts that answer for
their SNMP system group and the MIBs that tell what they are (switch, router,
UPS, printer, access point, server), reads LLDP neighbours and bridge tables
to propose parents, and writes a config: to stdout, -o FILE, or appended to an
existing config with --merge FILE (its hand-written assets stay byte for byte).
Names come from sysName, else the hosts file (no DNS query is sent), else the
address. Nothing outside the ranges is probed; more than a /16 needs --yes.`,
		Example: `  noctop discover 192.0.2.0/24 -o site.toml
  noctop discover 10.1.0.0/22 --community env:SNMP_COMMUNITY --merge noctop.toml
  noctop discover 127.0.1.0/24 --port 16100          # the demo's lab
  noctop discover 10.2.0.0/24 --v3-user ops --auth-protocol SHA --auth-password env:AUTH`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiscover(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.creds.Community, "community", "public", "SNMP v1/v2c community (a value, env:NAME or file:PATH; written to the config as given)")
	fl.StringVar(&f.creds.Version, "snmp-version", "", `SNMP version "1", "2c" (default) or "3" (--v3-user implies 3)`)
	fl.StringVar(&f.v3User, "v3-user", "", "SNMPv3 user (USM)")
	fl.StringVar(&f.creds.AuthProtocol, "auth-protocol", "", "SNMPv3 authentication protocol: MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512")
	fl.StringVar(&f.creds.AuthPassword, "auth-password", "", "SNMPv3 authentication passphrase (better env:NAME or file:PATH)")
	fl.StringVar(&f.creds.PrivProtocol, "priv-protocol", "", "SNMPv3 privacy protocol: DES AES AES-192 AES-256 AES-192-C AES-256-C")
	fl.StringVar(&f.creds.PrivPassword, "priv-password", "", "SNMPv3 privacy passphrase")
	fl.StringVar(&f.creds.Context, "context", "", "SNMPv3 context name")
	fl.IntVar(&f.creds.Port, "port", 161, "the agents' UDP port")
	fl.StringVarP(&f.out, "output", "o", "", "write the config to FILE (default stdout; with --merge, the merged config)")
	fl.StringVar(&f.merge, "merge", "", "append the new assets to this config (written back unless -o)")
	fl.BoolVar(&f.yes, "yes", false, "allow ranges larger than a /16")
	fl.BoolVar(&f.noPing, "no-ping", false, "skip the ICMP sweep: ask SNMP on every address")
	fl.IntVar(&f.rate, "rate", 1000, "echo requests per second at most")
	fl.IntVar(&f.workers, "workers", 128, "SNMP hosts in flight at most (pings in flight: --rate x --timeout / 4)")
	fl.DurationVar(&f.timeout, "timeout", time.Second, "wait for an echo reply, and for each SNMP try")
	return cmd
}

func runDiscover(ctx context.Context, stdout, stderr io.Writer, args []string, f discoverFlags) error {
	fail := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "noctop discover: "+format+"\n", a...)
		return exitError{code: 1}
	}
	ranges, err := discover.ParseRanges(args, f.yes)
	if err != nil {
		return fail("%v", err)
	}
	if f.v3User != "" {
		f.creds.User = f.v3User
		if f.creds.Version == "" {
			f.creds.Version = "3"
		}
		f.creds.Community = ""
	}
	if err := f.creds.Validate(); err != nil {
		return fail("%v", err)
	}
	if f.rate < 1 || f.workers < 1 || f.timeout <= 0 {
		return fail("--rate, --workers and --timeout must be greater than 0")
	}
	var existing []byte
	if f.merge != "" {
		if existing, err = os.ReadFile(f.merge); err != nil {
			return fail("--merge: %v", err)
		}
	}
	opts := discover.Options{Ranges: ranges, Creds: f.creds, NoPing: f.noPing, PingTimeout: f.timeout,
		Timeout: f.timeout, Retries: 1, Workers: f.workers, Rate: f.rate}
	if !f.noPing {
		opts.ICMP = probes.NewICMP(probes.WithICMPRate(f.rate))
		defer opts.ICMP.Close()
	}
	prog := newDiscoverProgress(stderr)
	opts.Progress = prog.update
	res, err := discover.Run(ctx, opts)
	prog.end()
	if err != nil {
		return fail("%v", err)
	}

	command := "noctop discover " + strings.Join(args, " ")
	at := time.Now().UTC().Format(time.RFC3339)
	var out []byte
	var merged *discover.Merged
	if f.merge != "" {
		if merged, err = discover.Merge(f.merge, existing, res, f.creds, discover.MergeHeader(command, at)); err != nil {
			return fail("%v", err)
		}
		out = merged.Config
	} else {
		out = []byte(discover.Header(command, at) + discover.Write(res.Hosts, f.creds))
	}
	reportHosts(stderr, res)
	summarizeDiscovery(stderr, res)
	dest := f.out
	if dest == "" {
		dest = f.merge
	}
	if merged != nil {
		for _, n := range merged.Notes {
			fmt.Fprintf(stderr, "  note: %s\n", n)
		}
		fmt.Fprintf(stderr, "merge: %d added, %d already in %s\n", len(merged.Added), len(merged.Known), f.merge)
		for _, h := range merged.Added {
			fmt.Fprintf(stderr, "  added %s (%s, %s)\n", h.Name, h.Kind, h.Addr)
		}
	}
	if dest == "" {
		_, err = stdout.Write(out)
		return err
	}
	if err := writeFileAtomic(dest, out); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", dest)
	return nil
}

// writeFileAtomic replaces path with data (a temporary file renamed over
// it, the old file's mode kept), so a failed write leaves the old config.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
