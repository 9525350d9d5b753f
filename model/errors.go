package model

import "errors"

// Sentinel errors for the config problems callers and tests act on. Every
// *ConfigError wraps one of them, so errors.Is works on a loader's result.
var (
	ErrUnknownKey     = errors.New("unknown key")
	ErrWrongType      = errors.New("wrong type")
	ErrBadDuration    = errors.New("bad duration")
	ErrDuplicateName  = errors.New("duplicate name")
	ErrUnknownParent  = errors.New("unknown parent")
	ErrUnknownNeed    = errors.New("unknown service member")
	ErrCycle          = errors.New("dependency cycle")
	ErrThresholdOrder = errors.New("warn threshold worse than crit")
	ErrMissing        = errors.New("missing required key")
	ErrInvalid        = errors.New("invalid value")
	ErrNotForType     = errors.New("key not valid for this check type")
	ErrSecret         = errors.New("secret not readable")
	ErrSyntax         = errors.New("TOML syntax error")
	ErrConfigNotFound = errors.New("config file not found")
)
