package model

import (
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Walking the Config type by TOML key paths lets the loader say what a key
// wants ("a duration string such as \"30s\"") and suggest the key a typo
// meant, without a second hand-written schema that could drift.

var (
	durationType  = reflect.TypeFor[Duration]()
	secretType    = reflect.TypeFor[Secret]()
	localDateType = reflect.TypeFor[toml.LocalDate]()
)

// fieldIndex caches, for one load, which field of a struct type each TOML
// key names: parsing struct tags on every lookup made a 10,000-asset config
// take a second to validate.
type fieldIndex map[reflect.Type]map[string]field

type field struct {
	index int
	typ   reflect.Type
	name  string // the TOML key (the tag)
}

// fields maps the TOML keys of struct type t to its fields.
func (fi fieldIndex) fields(t reflect.Type) map[string]field {
	m, ok := fi[t]
	if !ok {
		m = map[string]field{}
		for i := range t.NumField() {
			if tag := tomlTag(t.Field(i)); tag != "" {
				m[tag] = field{i, t.Field(i).Type, tag}
			}
		}
		fi[t] = m
	}
	return m
}

func (fi fieldIndex) field(t reflect.Type, key string) (field, bool) {
	f, ok := fi.fields(t)[key]
	return f, ok
}

// tomlTag is the TOML key of a struct field, "" when it has none or is "-".
func tomlTag(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if tag == "-" {
		return ""
	}
	return tag
}

// tomlKeys lists the TOML keys of a struct type, in field order.
func tomlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if tag := tomlTag(t.Field(i)); tag != "" {
			keys = append(keys, tag)
		}
	}
	return keys
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// describeType says in TOML words what a Go field type accepts.
func describeType(t reflect.Type) string {
	switch t {
	case durationType:
		return `a duration string such as "30s", "5m" or "7d"`
	case secretType:
		return `a string ("env:NAME", "file:PATH" or the value)`
	case localDateType:
		return "a local date such as 2027-06-30 (no quotes)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describeType(t.Elem()), "a "), "an ") + "s"
	case reflect.Map:
		return "a table of string values"
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Struct:
		return "a table with keys " + strings.Join(tomlKeys(t), ", ")
	}
	return t.String()
}

// suggestKey returns the key of struct type t closest to a misspelt one,
// or "".
func suggestKey(t reflect.Type, key string) string {
	if t == nil || t.Kind() != reflect.Struct {
		return ""
	}
	best, bestD := "", 3 // suggest only close matches
	for _, k := range tomlKeys(t) {
		if abs(len(key)-len(k)) >= bestD {
			continue // too far apart: skip the quadratic distance of a huge key
		}
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance between two short keys.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// genericPath drops the array indexes of a path, giving go-toml's form of
// the key ("asset.check.rtt").
func genericPath(path string) string {
	parts := strings.Split(path, ".")
	out := parts[:0]
	for _, p := range parts {
		if !isIndex(p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}
