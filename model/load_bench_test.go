package model

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// bigConfig writes n assets, each with an icmp and a tcp check; with
// badPort every tcp port is a string (a generator bug), a type error each.
func bigConfig(n int, badPort bool) []byte {
	var b strings.Builder
	b.WriteString("[defaults]\ninterval = \"1m\"\n\n")
	port := "5432"
	if badPort {
		port = `"5432"`
	}
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"host-%d\"\naddress = \"127.0.%d.%d\"\n", i, i/250, i%250+1)
		if i > 0 {
			fmt.Fprintf(&b, "parents = [\"host-%d\"]\n", i/2)
		}
		fmt.Fprintf(&b, "  [[asset.check]]\n  type = \"icmp\"\n  rtt = { warn = \"50ms\", crit = \"200ms\" }\n")
		fmt.Fprintf(&b, "  [[asset.check]]\n  type = \"tcp\"\n  port = %s\n\n", port)
	}
	return []byte(b.String())
}

func BenchmarkParse10kAssets(b *testing.B) {
	data := bigConfig(10000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("big.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// Every error is counted in one Load even when there are thousands; the
// first MaxConfigErrors are listed.
func BenchmarkParse1kTypeErrors(b *testing.B) {
	data := bigConfig(1000, true)
	for b.Loop() {
		_, err := Parse("big.toml", data)
		many, _ := err.(*TooManyErrors)
		if many == nil || len(many.Listed)+many.More != 1000 {
			b.Fatalf("got %v, want 1000 errors", err)
		}
	}
}

// BenchmarkValidate10kAssets is Validate's path (each asset checked, then
// dropped) on the same config.
func BenchmarkValidate10kAssets(b *testing.B) {
	data := bigConfig(10000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := load(context.Background(), "big.toml", data, false, nil); err != nil {
			b.Fatal(err)
		}
	}
}
