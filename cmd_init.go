package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/spf13/cobra"
)

func newInitCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a starter config: this host, its default gateway and resolvers (read locally, not contacted)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "noctop.toml"
			if len(args) == 1 {
				path = args[0]
			}
			host, _ := os.Hostname()
			facts := readNetFacts("/proc/net/route", "/proc/net/ipv6_route", "/etc/resolv.conf")
			text, err := starterConfig(host, facts, time.Now())
			if err != nil {
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flags, 0o644)
			if errors.Is(err, fs.ErrExist) {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: %s exists; use --force to overwrite\n", path)
				return exitError{code: 1}
			}
			if err != nil {
				return err
			}
			if _, err := io.WriteString(f, text); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: this host, %d gateway(s), %d resolver(s). Next: noctop validate -c %s\n",
				path, len(facts.gateways), len(facts.resolvers), path)
			for _, w := range facts.warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "noctop: note: %s\n", w)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite FILE if it exists")
	return cmd
}

// netFacts is what init found about this machine's network.
type netFacts struct {
	gateways, resolvers []netip.Addr
	warnings            []string
}

func readNetFacts(route4, route6, resolvConf string) netFacts {
	var nf netFacts
	read := func(path string, parse func(io.Reader) ([]netip.Addr, error)) []netip.Addr {
		f, err := os.Open(path)
		if err != nil {
			nf.warnings = append(nf.warnings, fmt.Sprintf("cannot read %s: %v", path, err))
			return nil
		}
		defer f.Close()
		addrs, err := parse(f)
		if err != nil {
			nf.warnings = append(nf.warnings, fmt.Sprintf("%s: %v", path, err))
		}
		return addrs
	}
	nf.gateways = append(read(route4, defaultGateways4), read(route6, defaultGateways6)...)
	nf.resolvers = read(resolvConf, resolvers)
	return nf
}

type starterAsset struct {
	Name, Address string
}

func starterConfig(host string, nf netFacts, now time.Time) (string, error) {
	host = tomlName(host)
	if host == "" {
		host = "this-host"
	}
	data := struct {
		Host, Date           string
		Gateways, Resolvers  []starterAsset
		Needs, ResolverNeeds string
	}{Host: host, Date: now.Format("2006-01-02")}
	var needs []string
	for i, g := range nf.gateways {
		a := starterAsset{Name: fmt.Sprintf("gateway-%d", i+1), Address: g.String()}
		data.Gateways = append(data.Gateways, a)
		needs = append(needs, fmt.Sprintf("%q", a.Name))
	}
	for i, r := range nf.resolvers {
		a := starterAsset{Name: fmt.Sprintf("resolver-%d", i+1), Address: r.String()}
		data.Resolvers = append(data.Resolvers, a)
		needs = append(needs, fmt.Sprintf("%q", a.Name))
	}
	if len(data.Resolvers) > 1 {
		// Any one resolver is enough to resolve names.
		var rs []string
		for _, r := range data.Resolvers {
			rs = append(rs, fmt.Sprintf("%q", r.Name))
		}
		needs = needs[:len(data.Gateways)]
		needs = append(needs, `"Name resolution"`)
		data.ResolverNeeds = strings.Join(rs, ", ")
	}
	data.Needs = strings.Join(needs, ", ")
	tmpl, err := template.New("starter").Parse(starterTemplate)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// tomlName keeps a host name usable as an asset name.
func tomlName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r == '/' || r < 0x20 {
			return -1
		}
		return r
	}, s)
}

const starterTemplate = `# noctop starter config for {{.Host}}, written by ` + "`noctop init`" + ` on {{.Date}}.
# The gateway and resolvers were read from the routing table and
# /etc/resolv.conf; nothing was contacted. Every key is documented in
# config.example.toml. Check it with: noctop validate -c <this file>

[defaults]
interval = "30s"        # how often each check runs
timeout  = "5s"         # deadline of one run
retries  = 3            # consecutive failures before a problem turns hard

[[asset]]
name    = "{{.Host}}"
layer   = "technical"
kind    = "host"
address = "127.0.0.1"

  [[asset.check]]
  type   = "host"       # CPU, load, memory, swap, disks, temperatures
  cpu    = { warn = 85, crit = 95 }
  memory = { warn = 85, crit = 95 }
  disk   = { warn = 80, crit = 90 }

  [[asset.check]]
  type = "icmp"         # loopback: proves the ICMP path works
{{range .Gateways}}
[[asset]]
name    = "{{.Name}}"
layer   = "technical"
kind    = "router"
address = "{{.Address}}"

  [[asset.check]]
  type = "icmp"
  rtt  = { warn = "50ms", crit = "200ms" }
  loss = { warn = 20, crit = 60 }
{{end}}{{range .Resolvers}}
[[asset]]
name    = "{{.Name}}"
layer   = "technical"
kind    = "dns"
address = "{{.Address}}"

  [[asset.check]]
  type        = "dns"   # asks the resolver for the root servers
  query       = "."
  record_type = "NS"
{{end}}{{if .ResolverNeeds}}
[[service]]
name  = "Name resolution"
rule  = "any"           # one answering resolver is enough
needs = [{{.ResolverNeeds}}]
{{end}}{{if .Needs}}
[[service]]
name  = "Network access"
rule  = "all"
needs = [{{.Needs}}]
{{end}}`
