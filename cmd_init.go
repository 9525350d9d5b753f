package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/netip"
	"os"
	"strings"
	"syscall"
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
			facts := readNetFacts(netSources{route4: "/proc/net/route", route6: "/proc/net/ipv6_route",
				arp: "/proc/net/arp", resolvConf: "/etc/resolv.conf", neigh6: dumpNeighbours6})
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
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: this host, %s, %s. Next: noctop validate -c %s\n",
				path, plural(len(facts.gateways), "gateway"), plural(len(facts.resolvers), "resolver"), path)
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
	gateways  []gateway
	resolvers []netip.Addr
	warnings  []string
}

// netSources are where init reads the machine's network: files in /proc's
// formats, and the IPv6 neighbour table (a netlink dump). Tests pass
// fixtures.
type netSources struct {
	route4, route6, arp, resolvConf string
	neigh6                          func() ([]byte, error)
}

// dumpNeighbours6 asks the kernel for its IPv6 neighbour table; nothing is
// sent on the network.
func dumpNeighbours6() ([]byte, error) {
	return syscall.NetlinkRIB(syscall.RTM_GETNEIGH, syscall.AF_INET6)
}

func readNetFacts(src netSources) netFacts {
	var nf netFacts
	gws := append(readNetFile(&nf, src.route4, defaultGateways4), readNetFile(&nf, src.route6, defaultGateways6)...)
	silent := readNetFile(&nf, src.arp, silentNeighbours4)
	if silent == nil {
		silent = map[netip.Addr]bool{}
	}
	if dump, err := src.neigh6(); err != nil {
		nf.warnings = append(nf.warnings, fmt.Sprintf("cannot read the IPv6 neighbour table (%v): IPv6 gateways written unchecked", err))
	} else if s6, err := silentNeighbours6(dump); err != nil {
		nf.warnings = append(nf.warnings, err.Error())
	} else {
		maps.Copy(silent, s6)
	}
	for _, g := range gws {
		if silent[g.addr.WithZone("")] {
			nf.warnings = append(nf.warnings, fmt.Sprintf("left out the %s gateway %s (%s): the kernel's neighbour table says it never answered, so the route leads nowhere; add it by hand if it should be watched",
				g.family(), g.addr, g.dev))
			continue
		}
		nf.gateways = append(nf.gateways, g)
	}
	nf.resolvers = readNetFile(&nf, src.resolvConf, resolvers)
	return nf
}

// readNetFile parses the file at path; a problem becomes a warning.
func readNetFile[T any](nf *netFacts, path string, parse func(io.Reader) (T, error)) T {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		nf.warnings = append(nf.warnings, fmt.Sprintf("cannot read %s: %v", path, err))
		return zero
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		nf.warnings = append(nf.warnings, fmt.Sprintf("%s: %v", path, err))
	}
	return v
}

type starterAsset struct {
	Name, Address, Note string
}

func quotedNames(as []starterAsset) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = fmt.Sprintf("%q", a.Name)
	}
	return strings.Join(names, ", ")
}

func starterConfig(host string, nf netFacts, now time.Time) (string, error) {
	host = tomlName(host)
	if host == "" {
		host = "this-host"
	}
	data := struct {
		Host, Date                         string
		Gateways, Resolvers                []starterAsset
		Needs, GatewayNeeds, ResolverNeeds string
	}{Host: host, Date: now.Format("2006-01-02")}
	var needs []string
	for i, g := range nf.gateways {
		data.Gateways = append(data.Gateways, starterAsset{Name: fmt.Sprintf("gateway-%d", i+1), Address: g.addr.String(),
			Note: fmt.Sprintf("default route (%s via %s)", g.family(), g.dev)})
	}
	switch len(data.Gateways) {
	case 0:
	case 1:
		needs = append(needs, fmt.Sprintf("%q", data.Gateways[0].Name))
	default:
		// Either path reaches the network: an IPv4-only site works while
		// the IPv6 router is down, and a second default route is there
		// for failover.
		data.GatewayNeeds = quotedNames(data.Gateways)
		needs = append(needs, `"Default route"`)
	}
	for i, r := range nf.resolvers {
		data.Resolvers = append(data.Resolvers, starterAsset{Name: fmt.Sprintf("resolver-%d", i+1), Address: r.String()})
	}
	switch len(data.Resolvers) {
	case 0:
	case 1:
		needs = append(needs, fmt.Sprintf("%q", data.Resolvers[0].Name))
	default:
		// Any one resolver is enough to resolve names.
		data.ResolverNeeds = quotedNames(data.Resolvers)
		needs = append(needs, `"Name resolution"`)
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
[[asset]]               # {{.Note}}
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
{{end}}{{if .GatewayNeeds}}
[[service]]
name  = "Default route"
rule  = "any"           # either gateway (IPv4 or IPv6, or a second route) reaches the network
needs = [{{.GatewayNeeds}}]
{{end}}{{if .ResolverNeeds}}
[[service]]
name  = "Name resolution"
rule  = "any"           # one answering resolver is enough
needs = [{{.ResolverNeeds}}]
{{end}}{{if .Needs}}
[[service]]
name  = "Network access"
rule  = "all"           # a way out and name resolution
needs = [{{.Needs}}]
{{end}}`
