package model

import (
	"fmt"
	"os"
	"strings"
)

// Secret is a config string that may say where its value lives:
// "env:NAME" reads an environment variable, "file:PATH" reads a file (one
// trailing newline trimmed); anything else is the value itself. Like
// Duration, UnmarshalText never fails: the loader reports Err with the key's
// position. String never prints the value.
type Secret struct {
	// A pointer keeps the struct one word: a Check holds three secrets,
	// mostly unset.
	p *secretText
}

type secretText struct {
	raw, value string
	err        error
}

// NewSecret resolves text as the loader would.
func NewSecret(text string) Secret {
	var s Secret
	_ = s.UnmarshalText([]byte(text))
	return s
}

// UnmarshalText resolves env: and file: references.
func (s *Secret) UnmarshalText(b []byte) error {
	t := &secretText{raw: string(b)}
	t.value, t.err = resolveSecret(t.raw)
	s.p = t
	return nil
}

// raw is the text the secret was read from.
func (s Secret) raw() string {
	if s.p == nil {
		return ""
	}
	return s.p.raw
}

// MarshalText writes the reference, never a resolved value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// maxSecretFile bounds a file: secret; a token or password is far smaller.
const maxSecretFile = 64 << 10

func resolveSecret(raw string) (string, error) {
	switch {
	case strings.HasPrefix(raw, "env:"):
		name := strings.TrimPrefix(raw, "env:")
		v, ok := os.LookupEnv(name)
		if !ok {
			return "", fmt.Errorf("%w: environment variable %s is not set", ErrSecret, name)
		}
		return v, nil
	case strings.HasPrefix(raw, "file:"):
		path := strings.TrimPrefix(raw, "file:")
		// Only regular files: "file:/dev/stdin" or a FIFO would block the
		// loader, "file:/dev/zero" would never end.
		if st, err := os.Stat(path); err == nil && (!st.Mode().IsRegular() || st.Size() > maxSecretFile) {
			return "", fmt.Errorf("%w: %s is not a regular file of at most %d bytes", ErrSecret, path, maxSecretFile)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrSecret, err)
		}
		return strings.TrimSuffix(string(b), "\n"), nil
	}
	return raw, nil
}

// Value is the resolved secret.
func (s Secret) Value() string {
	if s.p == nil {
		return ""
	}
	return s.p.value
}

// Err is the resolution error, if any.
func (s Secret) Err() error {
	if s.p == nil {
		return nil
	}
	return s.p.err
}

// String shows where the secret comes from, or "****" for a literal.
func (s Secret) String() string {
	raw := s.raw()
	if strings.HasPrefix(raw, "env:") || strings.HasPrefix(raw, "file:") {
		return raw
	}
	if raw == "" {
		return ""
	}
	return "****"
}
