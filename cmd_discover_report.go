package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"noctop/discover"
)

// reportHosts prints each host that answered ping but gave no SNMP data,
// consecutive addresses with the same reason on one line.
func reportHosts(w io.Writer, res *discover.Result) {
	var run []*discover.Host
	flush := func() {
		if len(run) == 0 {
			return
		}
		if len(run) == 1 {
			fmt.Fprintf(w, "  %s: %v\n", run[0].Addr, run[0].Problem)
		} else {
			fmt.Fprintf(w, "  %s-%s (%d hosts): %v\n", run[0].Addr, run[len(run)-1].Addr, len(run), run[0].Problem)
		}
		run = run[:0]
	}
	for _, h := range res.Hosts {
		if h.SNMP() {
			flush()
			for _, p := range h.Partial {
				fmt.Fprintf(w, "  %s (%s): partly read: %s\n", h.Name, h.Addr, p)
			}
			continue
		}
		if len(run) > 0 && (run[len(run)-1].Problem.Error() != h.Problem.Error() || run[len(run)-1].Addr.Next() != h.Addr) {
			flush()
		}
		run = append(run, h)
	}
	flush()
}

// summarizeDiscovery prints the counts: swept, alive, SNMP, by kind, parents.
func summarizeDiscovery(w io.Writer, res *discover.Result) {
	kinds := map[string]int{}
	var silent, v3, refused, garbage, lldp, fdb int
	for _, h := range res.Hosts {
		switch {
		case h.SNMP():
			kinds[h.Kind]++
			if h.Parent != nil && h.Via.FDB {
				fdb++
			} else if h.Parent != nil {
				lldp++
			}
		case errors.Is(h.Problem, discover.ErrV3Only):
			v3++
		case errors.Is(h.Problem, discover.ErrRefused):
			refused++
		case errors.Is(h.Problem, discover.ErrGarbage):
			garbage++
		default:
			silent++
		}
	}
	answered := len(res.Answered())
	if res.Swept > 0 {
		fmt.Fprintf(w, "swept %d addresses: %d answered ping, %d answered SNMP", res.Swept, len(res.Hosts), answered)
	} else {
		fmt.Fprintf(w, "asked %d addresses: %d answered SNMP", len(res.Hosts), answered)
	}
	fmt.Fprintf(w, " (%d silent, %d SNMPv3 only, %d v3 refused, %d garbage)\n", silent, v3, refused, garbage)
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "by kind: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "parents: %d from LLDP, %d from bridge FDB\n", lldp, fdb)
}

// discoverProgress draws one line of counts on a terminal (at most 10
// times a second), or prints a line per phase otherwise.
type discoverProgress struct {
	w     io.Writer
	tty   bool
	mu    sync.Mutex
	last  time.Time
	phase string
	drawn bool
}

func newDiscoverProgress(w io.Writer) *discoverProgress {
	return &discoverProgress{w: w, tty: isTerminal(w)}
}

func (d *discoverProgress) update(p discover.Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.tty {
		if p.Phase != d.phase {
			d.phase = p.Phase
			if p.Phase == "ping" {
				fmt.Fprintf(d.w, "ping: %d addresses\n", p.Total)
			} else {
				fmt.Fprintf(d.w, "snmp: %d hosts\n", p.Total)
			}
		}
		return
	}
	if now := time.Now(); now.Sub(d.last) >= 100*time.Millisecond || p.Done == p.Total {
		d.last = now
		d.drawn = true
		if p.Phase == "ping" {
			fmt.Fprintf(d.w, "\r\x1b[Kping %s %d/%d · %d alive", bar(p.Done, p.Total), p.Done, p.Total, p.Alive)
		} else {
			fmt.Fprintf(d.w, "\r\x1b[Ksnmp %s %d/%d · %d answered · %d without SNMP", bar(p.Done, p.Total), p.Done, p.Total, p.SNMP, p.Problems)
		}
	}
}

func (d *discoverProgress) end() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.drawn {
		fmt.Fprint(d.w, "\r\x1b[K")
	}
}

// bar is a 20-cell progress bar.
func bar(done, total int) string {
	n := 20
	if total > 0 {
		n = 20 * done / total
	}
	return "[" + strings.Repeat("█", n) + strings.Repeat("·", 20-n) + "]"
}
