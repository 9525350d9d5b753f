package model

import (
	"reflect"

	"github.com/pelletier/go-toml/v2/unstable"
)

// typeErrors finds, from the position index alone, the values go-toml is
// certain to reject for their type, so that they can all be blanked before
// the first decode. Each decode stops at one type error: without this a
// generated config with a string port in each of 1,000 checks would need
// 1,000 decodes. It is deliberately narrow (scalars of the wrong kind,
// scalars or arrays where a table belongs): whatever it misses, the decode
// loop still catches.
func (ix *positions) typeErrors(file string, fields fieldIndex) ([]*ConfigError, []int) {
	var errs []*ConfigError
	var exprs []int
	for _, e := range ix.entries {
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
	return errs, exprs
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
