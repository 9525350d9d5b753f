package model

import (
	"strconv"
	"strings"
)

// edge is one dependency: to the node to, declared by element k of the
// list (parents, needs) of the node it leaves.
type edge struct{ to, k int }

// cycles reports every dependency cycle among asset parents and among
// services (a service needing a service), once each, at the key that
// closes it, printed as "cycle: a -> b -> a".
func (v *validator) cycles() {
	assets := make(map[string]int, len(v.refs))
	for i, r := range v.refs {
		if _, dup := assets[r.name]; !dup {
			assets[r.name] = i
		}
	}
	findCycles(len(v.refs),
		func(i int) string { return v.refs[i].name },
		func(i int) []edge {
			var out []edge
			for k, p := range v.refs[i].parents {
				if j, ok := assets[p]; ok {
					out = append(out, edge{j, k})
				}
			}
			return out
		},
		func(from, k int, cycle []string) {
			path := "asset." + strconv.Itoa(from) + ".parents." + strconv.Itoa(k)
			v.add(path, int(v.refs[from].parentsAt[k]), ErrCycle, "cycle: %s (each asset's parent is the next)", strings.Join(cycle, " -> "))
		})

	services := map[string]int{}
	for i, s := range v.cfg.Services {
		if _, dup := services[s.Name]; !dup {
			services[s.Name] = i
		}
	}
	findCycles(len(v.cfg.Services),
		func(i int) string { return v.cfg.Services[i].Name },
		func(i int) []edge {
			var out []edge
			for k, n := range v.cfg.Services[i].Needs {
				if j, ok := services[n]; ok {
					out = append(out, edge{j, k})
				}
			}
			return out
		},
		func(from, k int, cycle []string) {
			v.errf("service."+strconv.Itoa(from)+".needs."+strconv.Itoa(k), ErrCycle, "cycle: %s (each service needs the next)", strings.Join(cycle, " -> "))
		})
}

// findCycles runs a depth-first search in node order and reports each back
// edge with the cycle it closes.
func findCycles(n int, name func(int) string, edges func(int) []edge, report func(from, k int, cycle []string)) {
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]int, n)
	var stack []int
	var visit func(u int)
	visit = func(u int) {
		state[u] = onStack
		stack = append(stack, u)
		for _, e := range edges(u) {
			switch state[e.to] {
			case unseen:
				visit(e.to)
			case onStack:
				start := len(stack) - 1
				for stack[start] != e.to {
					start--
				}
				var cycle []string
				for _, w := range stack[start:] {
					cycle = append(cycle, name(w))
				}
				report(u, e.k, append(cycle, name(e.to)))
			}
		}
		stack = stack[:len(stack)-1]
		state[u] = done
	}
	for u := range n {
		if state[u] == unseen {
			visit(u)
		}
	}
}
