package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Imports point one way (README, Layout): model is the pure domain and
// imports no project package, the dashboard never reaches the probes or
// the lab, the probes reach the lab only in their tests, and /metrics
// (serve/metrics) sees the model alone.

// importRule forbids a package (and those below it) to depend on project
// packages, directly or through others.
type importRule struct {
	from string // module-relative path: "model" is noctop/model and noctop/model/...
	// forbid lists module-relative paths it may not depend on (with their
	// subpackages); empty: every project package outside from's own tree.
	forbid []string
	// allow, with forbid empty, lists the project packages it may depend
	// on all the same.
	allow []string
	tests bool // its tests' imports are held to the rule too
}

func archRules() []importRule {
	return []importRule{
		{from: "model", tests: true},
		{from: "ui", forbid: []string{"probes", "lab", "notify"}},
		{from: "probes", forbid: []string{"lab"}},
		// main -> notify -> model: the senders know only the domain.
		{from: "notify", forbid: []string{"ui", "probes", "traps", "store", "lab", "usm", "serve", "bench"}, tests: true},
		// /metrics reads snapshots only: traps and notifications reach it
		// through functions main wires.
		// main -> serve -> ui, model: the SSH server draws snapshots and
		// sends the engine commands; the monitor's parts stay main's.
		{from: "serve", forbid: []string{"probes", "store", "traps", "notify", "lab", "usm", "bench"}, tests: true},
		// shard splits a config: the domain only, so /metrics and the
		// notifier may ask it who owns what (its tests also start a real
		// Prometheus through promtest, which imports nothing of noctop).
		{from: "shard", allow: []string{"model", "promtest"}, tests: true},
		// promtest starts Debian's Prometheus and Alertmanager for tests:
		// it depends on no part of noctop.
		{from: "promtest", allow: []string{}},
		// snmpdtest starts net-snmp's snmpd for the probes' and discovery's
		// tests: it depends on promtest's process output alone.
		{from: "snmpdtest", allow: []string{"promtest"}},
		// The estate view reads Prometheus and Alertmanager into the
		// model's snapshot; drawing it is ui's, wiring it main's.
		{from: "estate", forbid: []string{"ui", "probes", "store", "traps", "notify", "lab", "usm", "serve", "bench"}, tests: true},
		{from: "serve/metrics", forbid: []string{"ui", "probes", "store", "traps", "notify", "lab"}, tests: true},
	}
}

// listedPackage is what `go list -json` says of a package that the rules read.
type listedPackage struct {
	ImportPath   string
	Imports      []string // non-test imports
	TestImports  []string // of its _test.go files in the package
	XTestImports []string // of its _test.go files in package x_test
}

// within reports whether path is pkg or below it.
func within(path, pkg string) bool {
	return path == pkg || strings.HasPrefix(path, pkg+"/")
}

// archViolations returns one message per package and forbidden dependency,
// naming the import that leads to it. module is the module path; pkgs
// are the module's packages.
func archViolations(module string, pkgs []listedPackage, rules []importRule) []string {
	imports := make(map[string][]string, len(pkgs))
	for _, p := range pkgs {
		imports[p.ImportPath] = p.Imports
	}
	var out []string
	for _, r := range rules {
		from := module + "/" + r.from
		forbidden := func(imp string) bool {
			if !within(imp, module) || within(imp, from) {
				return false
			}
			if len(r.forbid) == 0 {
				return !slices.ContainsFunc(r.allow, func(a string) bool { return within(imp, module+"/"+a) })
			}
			return slices.ContainsFunc(r.forbid, func(f string) bool { return within(imp, module+"/"+f) })
		}
		for _, p := range pkgs {
			if !within(p.ImportPath, from) {
				continue
			}
			out = append(out, forbiddenDeps(p.ImportPath, p.Imports, "", imports, forbidden)...)
			if r.tests {
				tests := slices.Concat(p.TestImports, p.XTestImports)
				out = append(out, forbiddenDeps(p.ImportPath, tests, " in its tests", imports, forbidden)...)
			}
		}
	}
	return out
}

// forbiddenDeps walks pkg's direct imports and, through project packages,
// their imports; it reports each forbidden package reached, with the
// direct import it came through.
func forbiddenDeps(pkg string, direct []string, where string, imports map[string][]string, forbidden func(string) bool) []string {
	var out []string
	via := map[string]string{pkg: pkg} // package -> pkg's direct import that reached it
	queue := []string{}
	for _, imp := range direct {
		if _, seen := via[imp]; !seen {
			via[imp] = imp
			queue = append(queue, imp)
		}
	}
	for len(queue) > 0 {
		imp := queue[0]
		queue = queue[1:]
		if forbidden(imp) {
			msg := pkg + " imports " + imp
			if via[imp] != imp {
				msg += " through " + via[imp]
			}
			out = append(out, msg+where)
			continue
		}
		for _, next := range imports[imp] {
			if _, seen := via[next]; !seen {
				via[next] = via[imp]
				queue = append(queue, next)
			}
		}
	}
	return out
}

// goList runs `go list -json ./...` on the module.
func goList(t *testing.T) (module string, pkgs []listedPackage) {
	t.Helper()
	mod, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	cmd := exec.Command("go", "list", "-json", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -json ./...: %v\n%s", err, stderr.Bytes())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list -json: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return strings.TrimSpace(string(mod)), pkgs
}

func TestImportsPointOneWay(t *testing.T) {
	module, pkgs := goList(t)
	for _, want := range []string{"model", "ui", "probes", "lab"} {
		if !slices.ContainsFunc(pkgs, func(p listedPackage) bool { return p.ImportPath == module+"/"+want }) {
			t.Fatalf("go list found no %s/%s: the rules would check nothing", module, want)
		}
	}
	for _, v := range archViolations(module, pkgs, archRules()) {
		t.Error(v)
	}
}

// The rules on fabricated import lists: each forbidden kind of import is
// reported with the package and the import, and the allowed ones are not.
func TestArchViolations(t *testing.T) {
	for _, tc := range []struct {
		name string
		pkgs []listedPackage
		want []string
	}{
		{"clean", []listedPackage{
			{ImportPath: "noctop", Imports: []string{"noctop/ui", "noctop/probes", "noctop/lab"}},
			{ImportPath: "noctop/model", Imports: []string{"fmt", "github.com/pelletier/go-toml/v2"}, XTestImports: []string{"noctop/model"}},
			{ImportPath: "noctop/ui", Imports: []string{"noctop/model"}},
			{ImportPath: "noctop/probes", Imports: []string{"noctop/model"}, TestImports: []string{"noctop/lab", "noctop/lab/snmpagent"}},
			{ImportPath: "noctop/lab", Imports: []string{"noctop/lab/snmpagent"}},
		}, nil},
		{"model imports a project package", []listedPackage{
			{ImportPath: "noctop/model", Imports: []string{"fmt", "noctop/traps"}},
			{ImportPath: "noctop/traps"},
		}, []string{"noctop/model imports noctop/traps"}},
		{"model's tests import the lab", []listedPackage{
			{ImportPath: "noctop/model", XTestImports: []string{"noctop/model", "noctop/lab"}},
		}, []string{"noctop/model imports noctop/lab in its tests"}},
		{"a package below model", []listedPackage{
			{ImportPath: "noctop/model/units", Imports: []string{"noctop/probes"}},
		}, []string{"noctop/model/units imports noctop/probes"}},
		{"ui imports probes through another package", []listedPackage{
			{ImportPath: "noctop/ui", Imports: []string{"noctop/model", "noctop/traps"}},
			{ImportPath: "noctop/traps", Imports: []string{"noctop/probes"}},
		}, []string{"noctop/ui imports noctop/probes through noctop/traps"}},
		{"shard imports model alone", []listedPackage{
			{ImportPath: "noctop/shard", Imports: []string{"crypto/md5", "noctop/model"}, TestImports: []string{"noctop/serve/metrics"}},
			{ImportPath: "noctop/model"},
			{ImportPath: "noctop/serve/metrics", Imports: []string{"noctop/model"}},
		}, []string{"noctop/shard imports noctop/serve/metrics in its tests"}},
		{"ui imports a package below lab", []listedPackage{
			{ImportPath: "noctop/ui", Imports: []string{"noctop/lab/snmpagent"}},
		}, []string{"noctop/ui imports noctop/lab/snmpagent"}},
		{"probes imports lab outside tests", []listedPackage{
			{ImportPath: "noctop/probes", Imports: []string{"noctop/lab"}, TestImports: []string{"noctop/lab"}},
		}, []string{"noctop/probes imports noctop/lab"}},
		{"a name that only starts like a rule's package", []listedPackage{
			{ImportPath: "noctop/uikit", Imports: []string{"noctop/probes"}},
			{ImportPath: "noctop/probesx", Imports: []string{"noctop/lab"}},
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := archViolations("noctop", tc.pkgs, archRules())
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
