package model

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// maxDecodes bounds the decodes of one load. go-toml stops at the first
// error it finds, so the few kinds the position index cannot see up front
// (rare type errors, some duplicate keys) cost a decode of the whole file
// each; past this many the load stops and says more errors may follow.
const maxDecodes = 16

// Load reads, decodes, defaults and validates the config at path. On failure
// the error is a ConfigErrors listing every problem, or a *TooManyErrors
// listing the first MaxConfigErrors (or a plain error when the file cannot
// be read, wrapping ErrConfigNotFound if it does not exist).
func Load(path string) (*Config, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load that gives up when ctx is done (SIGINT while a huge
// config loads); its error then wraps ctx's, so errors.Is(err,
// context.Canceled) holds.
func LoadContext(ctx context.Context, path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", ErrConfigNotFound, err)
		}
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseContext(ctx, path, data)
}

// Parse is Load on bytes already read; file names the source in errors.
// Parse sets cfg.Path to file.
func Parse(file string, data []byte) (*Config, error) {
	return ParseContext(context.Background(), file, data)
}

// ParseContext is Parse that gives up when ctx is done, like LoadContext.
func ParseContext(ctx context.Context, file string, data []byte) (*Config, error) {
	cfg, err := parse(ctx, file, data)
	if err != nil {
		return nil, err
	}
	cfg.Path = file
	return cfg, nil
}

// parse decodes, collecting every decode error, then validates. Every step
// is linear in the file (a test counts its allocations), and each checks
// ctx between steps of its loop.
func parse(ctx context.Context, file string, data []byte) (*Config, error) {
	stopped := func() error { return fmt.Errorf("load %s: %w", file, ctx.Err()) }
	if ctx.Err() != nil {
		return nil, stopped()
	}
	fields := fieldIndex{}
	errs := newErrorSet(file, MaxConfigErrors)
	ix, err := buildPositions(ctx, data, fields)
	if ctx.Err() != nil {
		return nil, stopped()
	}
	if err != nil {
		errs.addError(syntaxError(file, data, err))
		return nil, errs.err()
	}
	exprs, blanked, err := ix.certainErrors(ctx, errs)
	if err != nil {
		return nil, stopped()
	}
	// go-toml stops at the first error. Blank the offending top-level
	// expression in a copy (newlines kept, so every position holds) and
	// decode again until it decodes. The certain errors are blanked up
	// front, so the loop runs once for a file with a thousand of them. The
	// copy is made only when something is blanked.
	var work []byte
	done := map[int]bool{} // blanked expressions
	blank := func(i int) {
		if work == nil {
			work = bytes.Clone(data)
		}
		done[i] = true
		blanked = append(blanked, ix.blank(work, i))
	}
	for _, i := range exprs {
		if !done[i] {
			blank(i)
		}
	}
	var cfg Config
	for decodes := 1; ; decodes++ {
		if ctx.Err() != nil {
			return nil, stopped()
		}
		src := data
		if work != nil {
			src = work
		}
		cfg = Config{}
		// Unknown keys were found above; go-toml's strict mode would
		// find them again at a cost quadratic in their number.
		err := toml.NewDecoder(bytes.NewReader(src)).Decode(&cfg)
		if err == nil {
			break
		}
		var de *toml.DecodeError
		if !errors.As(err, &de) {
			errs.addError(&ConfigError{File: file, Line: 1, Col: 1, Msg: err.Error(), Err: ErrSyntax})
			return nil, errs.err()
		}
		line, col := de.Position()
		at, found := ix.misplacedArray(de, done)
		if found {
			line, col = at.Val.Line, at.Val.Col
		} else {
			at, found = ix.valueAt(line, col)
		}
		errs.addError(decodeError(file, de, line, col, at, found))
		i, ok := ix.exprAt(ix.offsetOf(line, col))
		if !ok || done[i] {
			return nil, errs.err()
		}
		if decodes == maxDecodes {
			errs.uncounted = true
			return nil, errs.err()
		}
		blank(i)
	}
	if work != nil {
		wix, err := buildPositions(ctx, work, fields)
		if ctx.Err() != nil {
			return nil, stopped()
		}
		if err == nil {
			ix = wix // indexes now match the decoded slices
		}
	}
	v := &validator{file: file, ix: ix, cfg: &cfg, fields: fields, errs: errs}
	for _, b := range blanked {
		if b != "" {
			if v.skip == nil {
				v.skip = map[string]bool{}
			}
			v.skip[b] = true
		}
	}
	v.validate(ctx)
	if ctx.Err() != nil {
		return nil, stopped()
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &cfg, nil
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
	return s.Path
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
