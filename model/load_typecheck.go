package model

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// certainErrors finds, from the position index alone, the problems go-toml
// is certain to have with the document, so that the offending expressions
// can all be blanked before the first decode, and reports them to errs:
//   - values of the wrong type: each decode stops at one type error, so
//     without this a generated config with a string port in each of 1,000
//     checks would need 1,000 decodes. It is deliberately narrow (scalars of
//     the wrong kind, scalars or arrays where a table belongs): whatever it
//     misses, the decode loop still catches;
//   - keys defined twice, for the same reason;
//   - unknown keys. go-toml's strict mode finds them too, but builds each
//     error with the lines of the whole document, which made 100,000 of
//     them never finish;
//   - keys spelt in another case ("Address"): go-toml decodes them
//     silently. Their paths, as the decoded config has them, come back in
//     skip so that the validator does not pile follow-on errors on them.
func (ix *positions) certainErrors(ctx context.Context, errs *errorSet) (exprs []int, skip []string, err error) {
	for n, e := range ix.entries {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if want, ok := caseMismatch(ix.fields, e.Parts); ok {
			// go-toml matches keys case-insensitively; the documented
			// keys are lower case.
			errs.add(e.Key, e.Path, ErrUnknownKey, func() string {
				return fmt.Sprintf("unknown key %q %s (keys are case-sensitive: did you mean %q?)",
					Clip(want.got, MaxNetText), keyWhere(want.parents), want.key)
			})
			canon := append(append(append([]string(nil), want.parents...), want.key), e.Parts[len(want.parents)+1:]...)
			skip = append(skip, strings.Join(canon, "."))
			continue
		}
		t, ok := ix.fields.typeAt(e.Parts)
		if !ok {
			ix.unknownKey(errs, e)
			continue
		}
		kind := e.Kind
		if kind == unstable.ArrayTable && isIndex(e.Parts[len(e.Parts)-1]) {
			kind = unstable.Table // [[asset]] is one table of the array at "asset.N"
		}
		if acceptsKind(t, kind) {
			continue
		}
		errs.add(e.Val, e.Path, ErrWrongType, func() string {
			return shortKey(e.Path) + ": wrong type: got " + kindName(e.Kind) + ", want " + describeType(t)
		})
		exprs = append(exprs, e.Expr)
	}
	for _, d := range ix.dups {
		errs.add(d.Key, d.Path, ErrSyntax, func() string {
			if d.Kind == unstable.Table {
				return fmt.Sprintf("table %s already exists", Clip(genericPath(d.Path), MaxNetText))
			}
			return fmt.Sprintf("key %s is already defined", Clip(d.Parts[len(d.Parts)-1], MaxNetText))
		})
		exprs = append(exprs, d.Expr)
	}
	return exprs, skip, nil
}

// unknownKey reports e when it names a key its table does not have. A key
// below a value that is not a table (port.x = 1) is not reported: the
// value's type error says it.
func (ix *positions) unknownKey(errs *errorSet, e posEntry) {
	parents := e.Parts[:len(e.Parts)-1]
	pt, ok := ix.fields.typeAt(parents)
	if !ok {
		return
	}
	if pt.Kind() == reflect.Slice {
		pt = derefType(pt.Elem())
	}
	if pt.Kind() != reflect.Struct || pt == durationType || pt == secretType || pt == localDateType {
		return
	}
	name := e.Parts[len(e.Parts)-1]
	errs.add(e.Key, e.Path, ErrUnknownKey, func() string {
		what := "key"
		if e.Kind == unstable.Table || e.Kind == unstable.ArrayTable {
			what = "table"
		}
		msg := fmt.Sprintf("unknown %s %q %s", what, Clip(name, MaxNetText), keyWhere(parents))
		if s := suggestKey(parents, name); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return msg
	})
}

// acceptsKind reports whether go-toml may decode a value of kind k into t;
// true when unsure.
func acceptsKind(t reflect.Type, k unstable.Kind) bool {
	scalar := k == unstable.String || k == unstable.Integer || k == unstable.Float || k == unstable.Bool ||
		k == unstable.LocalDate || k == unstable.LocalTime || k == unstable.LocalDateTime || k == unstable.DateTime
	switch t {
	case durationType, secretType:
		return true // text unmarshalers; the validator checks their kind
	case localDateType:
		// A quoted date decodes (the validator reports it); a date-time
		// or a number stops the decoder.
		return k == unstable.LocalDate || k == unstable.String
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
		return !scalar && k != unstable.Array && k != unstable.ArrayTable
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
