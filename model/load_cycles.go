package model

import (
	"strconv"
	"strings"
)

// edge is one dependency, with the path of the key that declares it.
type edge struct {
	to   int
	path string
}

// cycles reports every dependency cycle among asset parents and among
// services (a service needing a service), once each, at the key that
// closes it, printed as "cycle: a -> b -> a".
func (v *validator) cycles() {
	assets := map[string]int{}
	for i, a := range v.cfg.Assets {
		if _, dup := assets[a.Name]; !dup {
			assets[a.Name] = i
		}
	}
	findCycles(len(v.cfg.Assets),
		func(i int) string { return v.cfg.Assets[i].Name },
		func(i int) []edge {
			var out []edge
			for k, p := range v.cfg.Assets[i].Parents {
				if j, ok := assets[p]; ok {
					out = append(out, edge{j, "asset." + strconv.Itoa(i) + ".parents." + strconv.Itoa(k)})
				}
			}
			return out
		},
		func(path string, cycle []string) {
			v.errf(path, ErrCycle, "cycle: %s (each asset's parent is the next)", strings.Join(cycle, " -> "))
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
					out = append(out, edge{j, "service." + strconv.Itoa(i) + ".needs." + strconv.Itoa(k)})
				}
			}
			return out
		},
		func(path string, cycle []string) {
			v.errf(path, ErrCycle, "cycle: %s (each service needs the next)", strings.Join(cycle, " -> "))
		})
}

// findCycles runs a depth-first search in node order and reports each back
// edge with the cycle it closes.
func findCycles(n int, name func(int) string, edges func(int) []edge, report func(path string, cycle []string)) {
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
				report(e.path, append(cycle, name(e.to)))
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
