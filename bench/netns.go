package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// The harness runs its sections in a network namespace of its own (lo up,
// nothing else in it): a raw ICMP socket receives every ICMP packet of its
// namespace, so other work on the machine pinging anything would be read
// by, and charged to, both noctop and fping, and differently run to run
// (side by side at 14:44 on 2026-12-07 the same dashboard took 6.80% of a
// core in the root namespace, 3.87% in one of its own). The binary is
// built first, in the root namespace, where go may fetch modules.

// inNetnsEnv marks the harness's second process, the one inside the namespace.
const inNetnsEnv = "NOCTOP_BENCH_IN_NETNS"

// rerunInNetns runs this harness again under `unshare --net` with the
// binary already built, relays its output and returns its error.
func rerunInNetns(ctx context.Context, noctop string, stdout, logw io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("netns: %w", err)
	}
	// The namespace starts with the kernel's default ping_group_range
	// ("1 0": no datagram ICMP); the host's setting decides which ICMP
	// mode noctop uses, so the child takes it over.
	pgr, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range")
	if err != nil {
		return fmt.Errorf("netns: %w", err)
	}
	args := append([]string{"--net", "--", self}, os.Args[1:]...)
	cmd := exec.CommandContext(ctx, "unshare", args...)
	cmd.Stdout, cmd.Stderr = stdout, logw
	cmd.Env = append(os.Environ(),
		inNetnsEnv+"="+noctop,
		"NOCTOP_BENCH_PING_GROUP="+strings.Join(strings.Fields(string(pgr)), " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the harness in its network namespace: %w", err)
	}
	return nil
}

// setUpNetns brings lo up in the namespace this process was started in
// and gives it the host's ping_group_range.
func setUpNetns(ctx context.Context) error {
	if out, err := exec.CommandContext(ctx, "ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		return fmt.Errorf("netns: ip link set lo up: %w: %s", err, out)
	}
	if pgr := os.Getenv("NOCTOP_BENCH_PING_GROUP"); pgr != "" {
		if err := os.WriteFile("/proc/sys/net/ipv4/ping_group_range", []byte(pgr+"\n"), 0o644); err != nil {
			return fmt.Errorf("netns: ping_group_range: %w", err)
		}
	}
	return nil
}
