package model

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// ConfigError is one problem in a config file, with its position.
type ConfigError struct {
	File      string
	Line, Col int
	// Key is the dotted path of the key, e.g. "asset.1.check.0.rtt.warn".
	Key string
	Msg string
	// Err is the sentinel this error wraps (ErrUnknownKey, ...).
	Err error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// ConfigErrors is every problem found in one load, in file order.
type ConfigErrors []*ConfigError

func (es ConfigErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is find any of the wrapped sentinels.
func (es ConfigErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Load reads, decodes, defaults and validates the config at path. On failure
// the error is a ConfigErrors listing every problem (or a plain error when
// the file cannot be read, wrapping ErrConfigNotFound if it does not exist).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", ErrConfigNotFound, err)
		}
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load on bytes already read; file names the source in errors.
// Parse sets cfg.Path to file.
func Parse(file string, data []byte) (*Config, error) {
	cfg, errs := parse(file, data)
	if len(errs) > 0 {
		return nil, errs
	}
	cfg.Path = file
	return cfg, nil
}

// parse decodes strictly, collecting every decode error, then validates.
func parse(file string, data []byte) (*Config, ConfigErrors) {
	ix, err := buildPositions(data)
	if err != nil {
		return nil, ConfigErrors{syntaxError(file, data, err)}
	}
	// go-toml stops at the first type error. Blank the offending top-level
	// expression in a copy (newlines kept, so every position holds) and
	// decode again until only unknown keys, or nothing, are left. The
	// certain type errors are found and blanked up front, so the loop runs
	// once for a file with a thousand of them.
	work := bytes.Clone(data)
	done := map[int]bool{} // blanked expressions
	fields := fieldIndex{}
	errs, exprs, blanked := ix.typeErrors(file, fields)
	for _, i := range exprs {
		if !done[i] {
			done[i] = true
			blanked = append(blanked, ix.blank(work, i))
		}
	}
	var cfg Config
	for range len(ix.exprs) + 1 {
		cfg = Config{}
		err := toml.NewDecoder(bytes.NewReader(work)).DisallowUnknownFields().Decode(&cfg)
		if err == nil {
			break
		}
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) { // the decode itself completed
			for i := range strict.Errors {
				errs = append(errs, unknownKeyError(file, &strict.Errors[i]))
			}
			break
		}
		var de *toml.DecodeError
		if !errors.As(err, &de) {
			errs = append(errs, &ConfigError{File: file, Line: 1, Col: 1, Msg: err.Error(), Err: ErrSyntax})
			return nil, sortErrors(errs)
		}
		line, col := de.Position()
		at, found := ix.misplacedArray(de, done)
		if found {
			line, col = at.Val.Line, at.Val.Col
		} else {
			at, found = ix.valueAt(line, col)
		}
		errs = append(errs, decodeError(file, de, line, col, at, found))
		i, ok := ix.exprAt(offsetOf(work, line, col))
		if !ok || done[i] {
			return nil, sortErrors(errs)
		}
		done[i] = true
		blanked = append(blanked, ix.blank(work, i))
	}
	if len(done) > 0 {
		if wix, err := buildPositions(work); err == nil {
			ix = wix // indexes now match the decoded slices
		}
	}
	v := &validator{file: file, ix: ix, cfg: &cfg, skip: blanked, fields: fields}
	v.validate()
	errs = append(errs, v.errs...)
	return &cfg, sortErrors(errs)
}

// blank overwrites expression i (a header with its whole table) with spaces,
// keeping line breaks, and returns the path it held.
func (ix *positions) blank(work []byte, i int) string {
	s := ix.exprs[i]
	end := s.End
	for j := i + 1; s.Header && j < len(ix.exprs) && !ix.exprs[j].Header; j++ {
		end = ix.exprs[j].End
	}
	for k := s.Start; k < end; k++ {
		if work[k] != '\n' && work[k] != '\r' {
			work[k] = ' '
		}
	}
	for _, e := range ix.entries {
		if e.Expr == i {
			return e.Path
		}
	}
	return ""
}

func sortErrors(errs ConfigErrors) ConfigErrors {
	slices.SortStableFunc(errs, func(a, b *ConfigError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return errs
}

// syntaxError places a parser error at its highlight.
func syntaxError(file string, data []byte, err error) *ConfigError {
	off := len(data)
	var pe *unstable.ParserError
	if errors.As(err, &pe) && pe.Highlight != nil {
		if o := cap(data) - cap(pe.Highlight); o >= 0 && o <= len(data) {
			off = o
		}
	}
	p := offsetPos(lineStarts(data), off)
	return &ConfigError{File: file, Line: p.Line, Col: p.Col, Msg: "syntax: " + err.Error(), Err: ErrSyntax}
}

// unknownKeyError words one of go-toml's strict-mode errors.
func unknownKeyError(file string, de *toml.DecodeError) *ConfigError {
	line, col := de.Position()
	key := de.Key()
	name, where := "", "at top level"
	if n := len(key); n > 0 {
		name, where = key[n-1], keyWhere(key[:n-1])
	}
	what := "key"
	if strings.Contains(de.Error(), "table") {
		what = "table"
	}
	msg := fmt.Sprintf("unknown %s %q %s", what, name, where)
	if len(key) > 0 {
		if s := suggestKey(key[:len(key)-1], name); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	return &ConfigError{File: file, Line: line, Col: col, Key: strings.Join(key, "."), Msg: msg, Err: ErrUnknownKey}
}

// decodeError words a decode failure: a wrong type names what the key
// wants; a duplicate key or table is a TOML error.
// at is the value the decoder stopped at, when the index knows it.
func decodeError(file string, de *toml.DecodeError, line, col int, at posEntry, found bool) *ConfigError {
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	path, got := strings.Join(de.Key(), "."), ""
	if found {
		path, got = at.Path, kindName(at.Kind)
	}
	ce := &ConfigError{File: file, Line: line, Col: col, Key: path, Err: ErrInvalid}
	short := shortKey(path)
	switch {
	case strings.Contains(msg, "already"):
		ce.Err, ce.Msg = ErrSyntax, msg
	case isTypeMismatch(msg, path, got):
		ce.Err = ErrWrongType
		if got == "" {
			got, _, _ = strings.Cut(strings.TrimPrefix(msg, "cannot decode TOML "), " into")
		}
		ce.Msg = fmt.Sprintf("%s: wrong type: got %s", short, got)
		t, ok := typeAt(strings.Split(path, "."))
		if !ok { // [[defaults]]: the index has defaults.0
			t, ok = typeAt(strings.Split(genericPath(path), "."))
		}
		if ok {
			ce.Msg += ", want " + describeType(t)
		}
	default:
		ce.Msg = fmt.Sprintf("%s: %s", short, msg)
	}
	return ce
}

// valueAt returns the entry whose value starts at line:col.
func (ix *positions) valueAt(line, col int) (posEntry, bool) {
	for _, e := range ix.entries {
		if e.Val == (position{line, col}) {
			return e, true
		}
	}
	return posEntry{}, false
}

// misplacedArray finds the array behind a type error that go-toml places at
// 1:1: the parser keeps no range for arrays, so an array nested in an array
// where a scalar belongs (parents = [["a"]]) has no position of its own. It
// is the first array, not yet blanked, under the error's key whose target
// is not a slice.
func (ix *positions) misplacedArray(de *toml.DecodeError, done map[int]bool) (posEntry, bool) {
	line, col := de.Position()
	if line != 1 || col != 1 || !strings.Contains(de.Error(), "TOML array") {
		return posEntry{}, false
	}
	key := strings.Join(de.Key(), ".")
	for _, e := range ix.entries {
		if e.Kind != unstable.Array || done[e.Expr] || genericPath(e.Path) != key {
			continue
		}
		if t, ok := typeAt(e.Parts); ok && t.Kind() != reflect.Slice && t.Kind() != reflect.Interface {
			return e, true
		}
	}
	return posEntry{}, false
}

// isTypeMismatch tells go-toml's type errors from its other decode errors.
// A quoted date fails in toml.LocalDate's own UnmarshalText with a parse
// message; that is a wrong type too (dates are written without quotes).
func isTypeMismatch(msg, path, got string) bool {
	for _, m := range []string{"cannot decode", "cannot store", "cannot be stored", "map key"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	t, ok := typeAt(strings.Split(path, "."))
	return ok && t == localDateType && got == "string"
}

// shortKey names a key as the user wrote it in its table: the part of the
// path after the last array index ("loss.warn", "parents").
func shortKey(path string) string {
	parts := strings.Split(path, ".")
	for len(parts) > 1 && isIndex(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if isIndex(parts[i]) {
			return strings.Join(parts[i+1:], ".")
		}
	}
	return strings.Join(parts, ".")
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func kindName(k unstable.Kind) string {
	switch k {
	case unstable.String:
		return "string"
	case unstable.Integer:
		return "integer"
	case unstable.Float:
		return "float"
	case unstable.Bool:
		return "boolean"
	case unstable.Array:
		return "array"
	case unstable.InlineTable, unstable.Table:
		return "table"
	case unstable.ArrayTable:
		return "array of tables"
	case unstable.LocalDate:
		return "local date"
	case unstable.LocalTime:
		return "local time"
	case unstable.LocalDateTime:
		return "local date-time"
	case unstable.DateTime:
		return "date-time"
	}
	return k.String()
}
