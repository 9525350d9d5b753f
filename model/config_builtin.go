package model

import (
	_ "embed"
	"fmt"
)

//go:embed builtin.toml
var builtinTOML string

// BuiltinName names the built-in config in errors and in the UI.
const BuiltinName = "(built-in)"

// Builtin returns the config used when Find finds no file: one asset,
// "localhost" (127.0.0.1), with a host check and a loopback icmp check. It
// goes through Parse like any file, so it is validated and defaulted the same
// way; its Path is "".
func Builtin() *Config {
	cfg, err := Parse(BuiltinName, []byte(builtinTOML))
	if err != nil { // the embedded file is fixed at build time and tested
		panic(fmt.Sprintf("built-in config is invalid: %v", err))
	}
	cfg.Path = ""
	return cfg
}
