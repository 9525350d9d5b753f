package model

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// typeErrors finds, from the position index alone, the values go-toml is
// certain to reject for their type, so that they can all be blanked before
// the first decode. Each decode stops at one type error: without this a
// generated config with a string port in each of 1,000 checks would need
// 1,000 decodes. It is deliberately narrow (scalars of the wrong kind,
// scalars or arrays where a table belongs): whatever it misses, the decode
// loop still catches.
//
// It also reports keys spelt in another case ("Address"): go-toml decodes
// them silently. Their paths, as the decoded config has them, come back in
// skip so that the validator does not pile follow-on errors on them.
func (ix *positions) typeErrors(file string, fields fieldIndex) (errs []*ConfigError, exprs []int, skip []string) {
	for _, e := range ix.entries {
		if want, ok := caseMismatch(fields, e.Parts); ok {
			// go-toml matches keys case-insensitively and strict mode
			// lets that pass; the documented keys are lower case.
			errs = append(errs, &ConfigError{
				File: file, Line: e.Key.Line, Col: e.Key.Col, Key: e.Path, Err: ErrUnknownKey,
				Msg: fmt.Sprintf("unknown key %q %s (keys are case-sensitive: did you mean %q?)",
					want.got, keyWhere(want.parents), want.key),
			})
			canon := append(append(append([]string(nil), want.parents...), want.key), e.Parts[len(want.parents)+1:]...)
			skip = append(skip, strings.Join(canon, "."))
			continue
		}
		t, ok := fields.typeAt(e.Parts)
		if !ok || acceptsKind(t, e.Kind) {
			continue
		}
		errs = append(errs, &ConfigError{
			File: file, Line: e.Val.Line, Col: e.Val.Col, Key: e.Path, Err: ErrWrongType,
			Msg: shortKey(e.Path) + ": wrong type: got " + kindName(e.Kind) + ", want " + describeType(t),
		})
		exprs = append(exprs, e.Expr)
	}
	return errs, exprs, skip
}

// acceptsKind reports whether go-toml may decode a value of kind k into t;
// true when unsure.
func acceptsKind(t reflect.Type, k unstable.Kind) bool {
	scalar := k == unstable.String || k == unstable.Integer || k == unstable.Float || k == unstable.Bool ||
		k == unstable.LocalDate || k == unstable.LocalTime || k == unstable.LocalDateTime || k == unstable.DateTime
	if t == durationType || t == secretType || t == localDateType {
		return true // text unmarshalers; the validator checks their kind
	}
	switch t.Kind() {
	case reflect.String:
		return k == unstable.String
	case reflect.Int, reflect.Int64:
		return k == unstable.Integer
	case reflect.Float64:
		return k == unstable.Integer || k == unstable.Float
	case reflect.Bool:
		return k == unstable.Bool
	case reflect.Slice:
		return !scalar
	case reflect.Struct, reflect.Map:
		return !scalar && k != unstable.Array
	}
	return true
}

type misspelt struct {
	got, key string
	parents  []string
}

// caseMismatch finds a key (the last part of parts that is not an index)
// spelt in another case than a known key.
func caseMismatch(fields fieldIndex, parts []string) (misspelt, bool) {
	n := len(parts)
	for n > 0 && isIndex(parts[n-1]) {
		n--
	}
	if n == 0 || n < len(parts)-1 {
		return misspelt{}, false // only a key, or the [[table]] it opens
	}
	t, ok := fields.typeAt(parts[:n-1])
	if !ok {
		return misspelt{}, false
	}
	if t.Kind() == reflect.Slice {
		t = derefType(t.Elem())
	}
	if t.Kind() != reflect.Struct {
		return misspelt{}, false
	}
	if _, exact := fields.field(t, parts[n-1]); exact {
		return misspelt{}, false
	}
	for _, k := range tomlKeys(t) {
		if strings.EqualFold(k, parts[n-1]) {
			return misspelt{got: parts[n-1], key: k, parents: parts[:n-1]}, true
		}
	}
	return misspelt{}, false
}

// keyWhere says which table holds a key: "in asset.check", "at top level".
func keyWhere(parents []string) string {
	if g := genericPath(strings.Join(parents, ".")); g != "" {
		return "in " + g
	}
	return "at top level"
}
