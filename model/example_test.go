package model

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// config.example.toml must load, use loopback addresses only, and document
// every key the structs accept: adding a key without documenting it fails
// here.
func TestExampleConfig(t *testing.T) {
	const path = "../config.example.toml"
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("example does not load:\n%v", err)
	}
	if len(cfg.Assets) == 0 || len(cfg.Services) == 0 {
		t.Fatalf("example has %d assets and %d services", len(cfg.Assets), len(cfg.Services))
	}
	types := map[string]bool{}
	for _, a := range cfg.Assets {
		for _, c := range a.Checks {
			types[c.Type] = true
		}
	}
	for _, typ := range CheckTypes() {
		if !types[typ] {
			t.Errorf("example has no %s check", typ)
		}
	}

	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Four dotted numbers not inside a longer dotted run (an OID).
	ipRe := regexp.MustCompile(`(?:^|[^\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:[^\d.]|\.(?:\D|$)|$)`)
	for _, m := range ipRe.FindAllStringSubmatch(string(src), -1) {
		ip := m[1]
		if !strings.HasPrefix(ip, "127.0.0.") {
			t.Errorf("example uses %s; only 127.0.0.x addresses are allowed", ip)
		}
	}

	l := indexKeys(string(src))
	type keyAt struct{ Line int }
	present := map[string]keyAt{}
	for id := range l.ix.nodes[1:] {
		g := genericPath(l.keyPath(int32(id + 1)))
		if _, ok := present[g]; !ok {
			present[g] = keyAt{l.errs.pos(int(l.ix.nodes[id+1].key)).Line}
		}
	}
	lines := strings.Split(string(src), "\n")
	checkFields := 0
	for _, key := range schemaPaths(reflect.TypeFor[Config](), "") {
		if strings.HasPrefix(key, "asset.check.") && strings.Count(key, ".") == 2 {
			checkFields++
		}
		e, ok := present[key]
		if !ok {
			// A key that needs a local file may be shown commented out.
			last := key[strings.LastIndexByte(key, '.')+1:]
			if !regexp.MustCompile(`(?m)^\s*#\s*` + last + `\s*=.*#`).Match(src) {
				t.Errorf("example does not set or show %q", key)
			}
			continue
		}
		line := lines[e.Line-1]
		above := ""
		if e.Line > 1 {
			above = strings.TrimSpace(lines[e.Line-2])
		}
		if !strings.Contains(line, "#") && !strings.HasPrefix(above, "#") {
			t.Errorf("%s (line %d) has no comment on or above its line", key, e.Line)
		}
	}
	if want := len(tomlKeys(reflect.TypeFor[Check]())); checkFields != want {
		t.Errorf("walked %d check keys, Check has %d", checkFields, want)
	}
}

// schemaPaths lists every key the config structs accept, as dotted paths
// without array indexes ("asset.check.rtt.warn").
func schemaPaths(t reflect.Type, prefix string) []string {
	var out []string
	for _, k := range tomlKeys(t) {
		f, _ := fieldIndex{}.field(t, k)
		p := prefix + k
		out = append(out, p)
		ft := derefType(f.typ)
		if ft.Kind() == reflect.Slice {
			ft = derefType(ft.Elem())
		}
		if ft.Kind() == reflect.Struct && ft != durationType && ft != secretType && ft != localDateType {
			out = append(out, schemaPaths(ft, p+".")...)
		}
	}
	return out
}
