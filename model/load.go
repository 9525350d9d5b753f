package model

import (
	"errors"
	"fmt"
	"strings"
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
	return nil, errors.New("TODO(config helper): not implemented yet")
}

// Parse is Load on bytes already read; file names the source in errors.
func Parse(file string, data []byte) (*Config, error) {
	return nil, errors.New("TODO(config helper): not implemented yet")
}
