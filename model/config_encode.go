package model

import (
	"encoding"
	"reflect"

	"github.com/pelletier/go-toml/v2"
)

// Encode writes cfg as TOML that Parse reads back to the same effective
// config. Unset values are left out (go-toml would write every zero value,
// and `port = 0` on an icmp check is an error), set pointers are kept even
// when they point to false or 0 (follow_redirects = false means something).
// Secrets are written as their reference ("env:NAME", "file:PATH"); a literal
// secret is written as "****", never as its value.
func Encode(cfg *Config) ([]byte, error) {
	m, _ := encodeValue(reflect.ValueOf(cfg).Elem())
	return toml.Marshal(m)
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// encodeValue turns v into maps, slices and scalars go-toml marshals;
// keep is false for an unset value.
func encodeValue(v reflect.Value) (out any, keep bool) {
	if v.Type() == localDateType {
		return v.Interface(), true // a TOML local date, not a string
	}
	if m, ok := v.Interface().(encoding.TextMarshaler); ok && v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
		if v.IsZero() {
			return nil, false
		}
		b, err := m.MarshalText()
		return string(b), err == nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil, false
		}
		out, ok := encodeValue(v.Elem())
		switch {
		case ok:
		case v.Elem().Kind() == reflect.Struct && v.Elem().Type() != localDateType:
			out = map[string]any{} // an empty table, e.g. lifecycle = {}
		default:
			out = v.Elem().Interface() // a set false or 0
		}
		return out, true
	case reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return v.Interface(), true
	case reflect.Struct:
		m := map[string]any{}
		for i := range v.NumField() {
			tag := tomlTag(v.Type().Field(i))
			if tag == "" {
				continue
			}
			if x, ok := encodeValue(v.Field(i)); ok {
				m[tag] = x
			}
		}
		if v.Type() == checkType { // version's table shape (config_version.go)
			if vc, ok := encodeValue(v.FieldByName("VersionCapture")); ok {
				m["version"] = vc
			}
		}
		return m, len(m) > 0
	case reflect.Slice:
		if v.Len() == 0 {
			return nil, false
		}
		if et := v.Type().Elem(); et.Kind() == reflect.Struct && !et.Implements(textMarshalerType) {
			s := make([]map[string]any, v.Len())
			for i := range s {
				x, _ := encodeValue(v.Index(i))
				s[i], _ = x.(map[string]any)
			}
			return s, true
		}
		s := make([]any, v.Len())
		for i := range s {
			s[i], _ = encodeValue(v.Index(i))
		}
		return s, true
	case reflect.Map:
		if v.Len() == 0 {
			return nil, false
		}
		m := map[string]any{}
		for it := v.MapRange(); it.Next(); {
			m[it.Key().String()], _ = encodeValue(it.Value())
		}
		return m, true
	}
	if v.IsZero() {
		return nil, false
	}
	return v.Interface(), true
}
