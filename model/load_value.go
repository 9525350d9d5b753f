package model

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// value decodes v (starting at offset at) into dst, a settable value of
// schema type t, and records what it holds under node. It reports a value
// of the wrong type, or one the schema rejects before defaults hide it (a
// bad duration, an unreadable secret, count = 0), and returns whether dst
// was set.
func (l *loader) value(node int32, v *unstable.Node, at int, dst reflect.Value, t reflect.Type) bool {
	l.ix.nodes[node].val = int32(at)
	if ok, typed := l.typedValue(v, at, dst, t); typed {
		return ok
	}
	ok, fits := l.kindValue(node, v, at, dst, t)
	if !fits {
		l.wrongType(at, v.Kind, t)
	}
	return ok
}

// typedValue decodes the types with rules of their own: durations and
// secrets (text), local dates, and any (expect). typed is false for the
// others.
func (l *loader) typedValue(v *unstable.Node, at int, dst reflect.Value, t reflect.Type) (ok, typed bool) {
	switch t {
	case durationType, secretType:
		if v.Kind != unstable.String {
			l.wrongType(at, v.Kind, t)
			return false, true
		}
		_ = dst.Addr().Interface().(interface{ UnmarshalText([]byte) error }).UnmarshalText(v.Data)
		l.checkText(at, dst.Interface())
		return true, true
	case localDateType:
		if v.Kind != unstable.LocalDate {
			l.wrongType(at, v.Kind, t)
			return false, true
		}
		var d toml.LocalDate
		if err := d.UnmarshalText(v.Data); err != nil {
			l.invalid(at, err)
			return false, true
		}
		dst.Set(reflect.ValueOf(d))
		return true, true
	case anyType:
		x, ok := l.anyValue(v)
		if ok {
			dst.Set(reflect.ValueOf(&x).Elem())
		}
		return ok, true
	}
	return false, false
}

// kindValue decodes v by the kind of t; fits is false when v's TOML kind
// cannot go there.
func (l *loader) kindValue(node int32, v *unstable.Node, at int, dst reflect.Value, t reflect.Type) (ok, fits bool) {
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if !l.value(node, v, at, p.Elem(), t.Elem()) {
			return false, true
		}
		dst.Set(p)
		return true, true
	case reflect.String:
		if v.Kind == unstable.String {
			dst.SetString(string(v.Data))
			return true, true
		}
	case reflect.Bool:
		if v.Kind == unstable.Bool {
			dst.SetBool(v.Data[0] == 't')
			return true, true
		}
	case reflect.Int, reflect.Int64:
		if v.Kind == unstable.Integer {
			n, err := parseInteger(v.Data)
			if err != nil {
				l.invalid(at, err)
				return false, true
			}
			l.intRange(at, n)
			dst.SetInt(n)
			return true, true
		}
	case reflect.Float64:
		if v.Kind == unstable.Integer || v.Kind == unstable.Float {
			f, err := parseNumber(v)
			if err != nil {
				l.invalid(at, err)
				return false, true
			}
			dst.SetFloat(f)
			return true, true
		}
	case reflect.Slice:
		if v.Kind == unstable.Array {
			return l.array(node, v, at, dst, t), true
		}
	case reflect.Struct, reflect.Map:
		if v.Kind == unstable.InlineTable {
			dst = settle(dst)
			for it := v.Children(); it.Next(); {
				if kv := it.Node(); kv.Kind == unstable.KeyValue {
					l.keyValue(node, kv, dst, t)
				}
			}
			return true, true
		}
	}
	return false, false
}

// array decodes an array into the slice dst, each element recorded under
// node by its index so that an error about it lands on it. An element of
// the wrong type leaves the whole array unset, as go-toml did: half a list
// of parents would only bring follow-on errors.
func (l *loader) array(node int32, v *unstable.Node, at int, dst reflect.Value, t reflect.Type) bool {
	n := 0
	for it := v.Children(); it.Next(); {
		if it.Node().Kind != unstable.Comment {
			n++
		}
	}
	if !l.countElements(at, t, n) {
		return false
	}
	s := reflect.MakeSlice(t, n, n)
	i, ok := 0, true
	for it := v.Children(); it.Next(); {
		c := it.Node()
		if c.Kind == unstable.Comment {
			continue
		}
		ep := at // the parser keeps no range for a nested array
		if c.Kind != unstable.Array && c.Raw.Length > 0 {
			ep = int(c.Raw.Offset)
		}
		name := strconv.Itoa(i)
		id := l.ix.add(node, name, keyNode{kind: keyValue, key: int32(ep), val: int32(ep)})
		l.push(name, name)
		ok = l.value(id, c, ep, s.Index(i), t.Elem()) && ok
		l.path = l.path[:len(l.path)-1]
		i++
	}
	if !ok {
		l.addSkip()
		return false
	}
	dst.Set(s)
	return true
}

// anyValue decodes v as go-toml does into an interface: int64, float64,
// bool, string, dates, []any and map[string]any. The validator judges what
// it got (expect is a string, or a list of them for dns).
func (l *loader) anyValue(v *unstable.Node) (any, bool) {
	var err error
	var x any
	switch v.Kind {
	case unstable.String:
		return string(v.Data), true
	case unstable.Bool:
		return v.Data[0] == 't', true
	case unstable.Integer:
		x, err = parseInteger(v.Data)
	case unstable.Float:
		x, err = parseNumber(v)
	case unstable.LocalDate:
		var d toml.LocalDate
		err = d.UnmarshalText(v.Data)
		x = d
	case unstable.LocalTime:
		var d toml.LocalTime
		err = d.UnmarshalText(v.Data)
		x = d
	case unstable.LocalDateTime:
		var d toml.LocalDateTime
		err = d.UnmarshalText(v.Data)
		x = d
	case unstable.DateTime:
		x, err = time.Parse(time.RFC3339Nano, strings.Replace(strings.ToUpper(string(v.Data)), " ", "T", 1))
	case unstable.Array:
		var out []any
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind != unstable.Comment {
				e, ok := l.anyValue(c)
				if !ok {
					return nil, false
				}
				out = append(out, e)
			}
		}
		return out, true
	case unstable.InlineTable:
		out := map[string]any{}
		for it := v.Children(); it.Next(); {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			var key []string
			for k := kv.Key(); k.Next(); {
				key = append(key, string(k.Node().Data))
			}
			e, ok := l.anyValue(kv.Value())
			if !ok {
				return nil, false
			}
			out[strings.Join(key, ".")] = e
		}
		return out, true
	default:
		err = fmt.Errorf("unexpected %s", kindName(v.Kind))
	}
	if err != nil {
		l.invalid(int(v.Raw.Offset), err)
		return nil, false
	}
	return x, true
}

// parseInteger reads a TOML integer whose syntax the parser checked: an
// optional sign, digits with underscores, or a 0x, 0o, 0b prefix (no
// leading zeros, so base 0 never reads octal by mistake).
func parseInteger(b []byte) (int64, error) {
	s := strings.ReplaceAll(string(b), "_", "")
	n, err := strconv.ParseInt(s, 0, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("integer %s is out of range", b)
	}
	return n, err
}

// parseNumber reads a TOML integer or float as a float64.
func parseNumber(v *unstable.Node) (float64, error) {
	if v.Kind == unstable.Integer {
		n, err := parseInteger(v.Data)
		return float64(n), err
	}
	s := strings.ReplaceAll(string(v.Data), "_", "")
	if strings.TrimLeft(s, "+-") == "nan" {
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("float %s is out of range", v.Data)
	}
	return f, err
}

// invalid reports a value the parser let through that does not read (a
// date that does not exist, an integer out of range).
func (l *loader) invalid(at int, err error) {
	path := l.rawPath()
	l.errs.add(at, path, ErrInvalid, func() string { return fmt.Sprintf("%s: %v", shortKey(path), err) })
	l.addSkip()
}

// checkText reports a duration or secret that did not read, or a
// duration that is not positive. It runs before defaults, which would
// replace a bad duration by the default.
func (l *loader) checkText(at int, x any) {
	switch x := x.(type) {
	case Duration:
		switch {
		case x.Err() != nil:
			path := l.rawPath()
			l.errs.addf(at, path, ErrBadDuration, "%s: %v", shortKey(path), x.Err())
		case x.Duration < 0 || (x.Duration == 0 && !l.zeroDurationAllowed()):
			path := l.rawPath()
			l.errs.addf(at, path, ErrInvalid, "%s: must be greater than 0, got %q", shortKey(path), x.Raw())
		}
	case Secret:
		if x.Err() != nil {
			path := l.rawPath()
			l.errs.addf(at, path, ErrSecret, "%s: %v", shortKey(path), x.Err())
		}
	}
}

// intRange checks the integer keys. It runs on raw values because
// ApplyDefaults takes 0 for "unset" and would hide `retries = 0`.
func (l *loader) intRange(at int, n int64) {
	key := l.path[len(l.path)-1].canon
	lo, hi, unit := int64(1), int64(1<<31-1), ""
	switch key {
	case "count":
		hi, unit = MaxICMPCount, " packets"
	case "port":
		hi = 65535
	case "max_repetitions":
		hi = maxMaxRepetitions
	case "retries", "concurrency":
	default:
		return
	}
	if n < lo || n > hi {
		l.errs.addf(at, l.rawPath(), ErrInvalid, "%s: want %d to %d%s, got %d", key, lo, hi, unit, n)
	}
}
