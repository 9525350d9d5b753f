package main

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// needTool finds a binary of Debian's prometheus or
// prometheus-alertmanager package, or skips the test, unless env=1 (CI)
// makes its absence a failure.
func needTool(t *testing.T, env, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv(env) == "1" {
		t.Fatalf("%s not found and %s=1", strings.Join(names, " or "), env)
	}
	t.Skipf("%s not found (Debian package %s)", strings.Join(names, " or "), pkg)
	return ""
}

func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
