//go:build !scaleout_pending

package main

// estateSections is empty until the estate-wide view (issue 14's estate
// package and the pollers' --shard flags) is merged; bench/estate.go,
// built with -tags scaleout_pending, measures it.
func estateSections() []section { return nil }
