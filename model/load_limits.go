package model

import (
	"fmt"
	"reflect"
)

// Limits on what one config may hold. noctop is built and measured for
// 10,000 assets (a config of that size is 1-5 MB); the limits are five
// times that and more, so a real estate never meets them, while a
// generated config gone wrong (a loop writing a million assets, a 50 MB
// file) is refused at once with a message rather than eating the
// machine's memory. validate reads a config in bounded memory whatever its
// size (each asset is checked and dropped); the monitor holds it all.
const (
	// MaxConfigBytes bounds the file: the TOML parser keeps a node (about
	// 60 bytes) for each value of the expression it reads, so memory
	// grows with the file.
	MaxConfigBytes = 16 << 20
	// MaxAssets and MaxChecks bound the decoded config: a check is a large
	// struct (its fields cover every type), and `[[asset.check]]` takes
	// 16 bytes of file.
	MaxAssets = 50_000
	MaxChecks = 200_000
	// MaxListLen bounds one array (parents, needs, tags, oids...).
	MaxListLen = 50_000
	// MaxExprValues bounds the values of one top-level expression (a key
	// and its value, arrays and inline tables included), counted before
	// go-toml's parser reads it: the parser keeps a node of about 60 bytes
	// per value, so this bounds its memory to about 15 MB.
	MaxExprValues = 2 * MaxListLen
)

// ErrTooLarge is wrapped by the error of a config over one of the limits.
var ErrTooLarge = fmt.Errorf("config too large")

// sizeError is the error of a file over MaxConfigBytes.
func sizeError(file string, size int64) ConfigErrors {
	return ConfigErrors{{File: file, Line: 1, Col: 1, Err: ErrTooLarge,
		Msg: fmt.Sprintf("config is %.1f MB; the limit is %d MiB (a config of 10,000 assets is 1-5 MB)",
			float64(size)/1e6, MaxConfigBytes>>20)}}
}

// countAsset counts one more asset at offset at; past MaxAssets it
// reports the limit and stops the load.
func (l *loader) countAsset(at int) bool {
	l.assets++
	return l.within(at, l.assets, MaxAssets, "assets")
}

// countCheck is countAsset for checks.
func (l *loader) countCheck(at int) bool {
	l.checks++
	return l.within(at, l.checks, MaxChecks, "checks")
}

// countElements checks an array of n elements (of slice type t) against
// MaxListLen, and counts inline assets and checks.
func (l *loader) countElements(at int, t reflect.Type, n int) bool {
	switch t {
	case assetsType:
		l.assets += n - 1
		return l.countAsset(at)
	case checksType:
		l.checks += n - 1
		return l.countCheck(at)
	}
	if n > MaxListLen {
		path := l.rawPath()
		l.errs.addf(at, path, ErrTooLarge, "%s: %s elements; the limit is %s", shortKey(path), groupThousands(n), groupThousands(MaxListLen))
		l.addSkip()
		return false
	}
	return true
}

func (l *loader) within(at, n, limit int, what string) bool {
	if n <= limit {
		return true
	}
	if !l.stopped {
		l.errs.addf(at, "", ErrTooLarge, "more than %s %s: the limit is %s (noctop is built for 10,000 assets); nothing after this was read",
			groupThousands(limit), what, groupThousands(limit))
		l.stopped = true
		l.errs.uncounted = true
	}
	return false
}
