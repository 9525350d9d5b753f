package model

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The path of the key being decoded, and the errors about it.

// pathPart is one part of the path being decoded: as written (raw, for
// messages and for TOML's rules, which are case-sensitive) and as the
// schema names it (canon, for the validator's lookups).
type pathPart struct{ raw, canon string }

// rawPath and canonPath join the path being decoded.
func (l *loader) rawPath() string   { return l.joinPath(false) }
func (l *loader) canonPath() string { return l.joinPath(true) }

func (l *loader) joinPath(canon bool) string {
	var b strings.Builder
	for i, p := range l.path {
		if i > 0 {
			b.WriteByte('.')
		}
		if canon {
			b.WriteString(p.canon)
		} else {
			b.WriteString(p.raw)
		}
	}
	return b.String()
}

func (l *loader) push(raw, canon string) { l.path = append(l.path, pathPart{raw, canon}) }

// addSkip marks the path being decoded: the validator says nothing more
// about what a decode error left out.
func (l *loader) addSkip() {
	if l.skip == nil {
		l.skip = map[string]bool{}
	}
	l.skip[l.canonPath()] = true
}

// unknownKey reports a key its struct t does not have.
func (l *loader) unknownKey(at int, t reflect.Type, name, what string) {
	parents := l.rawPath()
	l.errs.add(at, joinKey(parents, name), ErrUnknownKey, func() string {
		msg := fmt.Sprintf("unknown %s %q %s", what, Clip(name, MaxNetText), keyWhere(parents))
		if s := suggestKey(t, name); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return msg
	})
}

// caseMismatch reports a key spelt in another case than its tag: go-toml
// would decode it silently, and the documented keys are lower case. The
// validator says nothing more below it.
func (l *loader) caseMismatch(at int, got, want string) {
	l.reportCase(at, got, want)
	l.push(got, want)
	l.addSkip()
	l.path = l.path[:len(l.path)-1]
}

func (l *loader) reportCase(at int, got, want string) {
	parents := l.rawPath()
	l.errs.add(at, joinKey(parents, got), ErrUnknownKey, func() string {
		return fmt.Sprintf("unknown key %q %s (keys are case-sensitive: did you mean %q?)", Clip(got, MaxNetText), keyWhere(parents), want)
	})
}

// wrongType reports a value (or table) of kind got where the schema wants
// type want, and marks the path so that the validator adds nothing.
func (l *loader) wrongType(at int, got unstable.Kind, want reflect.Type) {
	path := l.rawPath()
	l.errs.add(at, path, ErrWrongType, func() string {
		return shortKey(path) + ": wrong type: got " + kindName(got) + ", want " + describeType(want)
	})
	l.addSkip()
}

func joinKey(parents, name string) string {
	if parents == "" {
		return name
	}
	return parents + "." + name
}

// keyWhere says which table holds a key: "in asset.check", "at top level".
func keyWhere(parents string) string {
	if g := genericPath(parents); g != "" {
		return "in " + g
	}
	return "at top level"
}
