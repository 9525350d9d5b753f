package main

import (
	"context"
	"io"
	"os"
	"testing"
)

func BenchmarkTmpSLAProcess(b *testing.B) {
	dir := os.Getenv("SLADIR")
	for b.Loop() {
		run(context.Background(), []string{"sla", "-c", dir + "/noctop.toml", "--state-dir", dir}, io.Discard, io.Discard)
	}
}
