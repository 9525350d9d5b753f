package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"noctop/discover"
	"noctop/model"
)

func newTopologyCmd(g *globalFlags) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "topology",
		Short: "Print the config's parent tree and flag parents that contradict LLDP",
		Long: `topology reads LLDP neighbours and bridge tables from every asset with an snmp
check (with that check's version, community or user, and port), proposes parents
as discover does, prints the tree of configured parents with what LLDP says of
each, and flags configured parents LLDP contradicts. Exit status 1 when one does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := loadConfig(cmd.Context(), cmd.ErrOrStderr(), g.configPath)
			if err != nil {
				return exitError{code: 3}
			}
			if bad := runTopology(cmd.Context(), cmd.OutOrStdout(), cfg, timeout); bad > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 2*time.Second, "wait for each SNMP try")
	return cmd
}

// runTopology prints the tree and returns the number of contradictions.
func runTopology(ctx context.Context, w io.Writer, cfg *model.Config, timeout time.Duration) int {
	hosts := topologyHosts(ctx, cfg, timeout)
	var list []*discover.Host
	for _, h := range hosts {
		list = append(list, h)
	}
	slices.SortFunc(list, func(a, b *discover.Host) int { return a.Addr.Compare(b.Addr) })
	// A group of LLDP neighbours is rooted where the config says the
	// tree enters it: at an asset whose configured parents are not in
	// LLDP's view (or that has none).
	discover.ParentsRooted(list, func(h *discover.Host) bool {
		a := byNameOf(cfg, h.Name)
		for _, p := range a.Parents {
			if ph := hosts[p]; ph != nil && ph.SNMP() && (len(ph.Neighbors) > 0 || discover.Linked(h, ph)) {
				return false
			}
		}
		return true
	})

	children := map[string][]string{}
	var roots []string
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		if len(a.Parents) == 0 {
			roots = append(roots, a.Name)
		}
		for _, p := range a.Parents {
			children[p] = append(children[p], a.Name)
		}
	}
	byName := map[string]*model.Asset{}
	for i := range cfg.Assets {
		byName[cfg.Assets[i].Name] = &cfg.Assets[i]
	}
	var flags []string
	verdict := func(a *model.Asset) string {
		h := hosts[a.Name]
		switch {
		case h == nil:
			return ""
		case !h.SNMP():
			return "  ? no LLDP data: " + h.Problem.Error()
		case h.Parent == nil:
			return ""
		case slices.Contains(a.Parents, h.Parent.Name):
			return "  ✓ " + h.Why()
		}
		for _, p := range a.Parents {
			if discover.Linked(h, hosts[p]) {
				return "" // a configured parent is an LLDP neighbour too
			}
		}
		flags = append(flags, fmt.Sprintf("%s: configured parents [%s]; %s", a.Name, strings.Join(a.Parents, ", "), h.Why()))
		return "  ✗ " + h.Why()
	}
	var walk func(name, indent string, last, top bool, depth int)
	walk = func(name, indent string, last, top bool, depth int) {
		a := byName[name]
		branch, next := "├─ ", indent+"│  "
		if last {
			branch, next = "└─ ", indent+"   "
		}
		if top {
			branch, next = "", ""
		}
		what := a.Address
		if a.Kind != "" {
			what = a.Kind + ", " + what
		}
		fmt.Fprintf(w, "%s%s%s (%s)%s\n", indent, branch, a.Name, what, verdict(a))
		if depth > len(cfg.Assets) {
			return
		}
		kids := children[name]
		for i, k := range kids {
			walk(k, next, i == len(kids)-1, false, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, "", true, true, 0)
	}
	if len(flags) > 0 {
		fmt.Fprintf(w, "\n%d configured parent(s) contradict LLDP:\n", len(flags))
		for _, f := range flags {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	return len(flags)
}

// topologyHosts queries every asset with an snmp check and an IP address,
// a few at a time, with the check's credentials; by asset name.
func topologyHosts(ctx context.Context, cfg *model.Config, timeout time.Duration) map[string]*discover.Host {
	out := map[string]*discover.Host{}
	var mu sync.Mutex
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		ip, err := netip.ParseAddr(a.Address)
		if err != nil {
			continue
		}
		var c *model.Check
		for j := range a.Checks {
			if a.Checks[j].Type == model.CheckSNMP {
				c = &a.Checks[j]
				break
			}
		}
		if c == nil {
			continue
		}
		creds := discover.Credentials{Version: c.Version, Community: c.Community.Value(), User: c.User,
			AuthProtocol: c.AuthProtocol, AuthPassword: c.AuthPassword.Value(), PrivProtocol: c.PrivProtocol,
			PrivPassword: c.PrivPassword.Value(), Context: c.SNMPContext, Port: c.Port}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			h := discover.QueryTopology(ctx, creds, ip.Unmap(), timeout)
			h.Name = a.Name
			mu.Lock()
			out[a.Name] = h
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// byNameOf is the config's asset of that name (every host is one).
func byNameOf(cfg *model.Config, name string) *model.Asset {
	for i := range cfg.Assets {
		if cfg.Assets[i].Name == name {
			return &cfg.Assets[i]
		}
	}
	return &model.Asset{}
}
