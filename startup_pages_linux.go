package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseStartupPages unmaps the executable's clean read-only pages from
// this process (madvise MADV_DONTNEED); the code and tables still needed
// fault back in from the page cache.
//
// Why: the binary carries a TUI, an SSH server and SQLite, and the
// initialisers of its ~170 packages touch code all over it before main
// runs; the kernel maps 64 KiB around each such fault, so ~15 MB of the
// 35 MB executable is resident in every process, most of it never used
// again by a one-shot command. check of 10,000 ICMP targets peaked at
// 29.8-31 MiB, 15 of it these file pages; after the release it holds the
// ~9 MB its own code touches (BENCHMARKS.md).
//
// Only mappings of the executable that are not writable and hold no
// anonymous (copy-on-write) page are released: dropping a page a dynamic
// loader relocated would read the unrelocated file back.
func releaseStartupPages() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	var spans [][2]uintptr
	sc := bufio.NewScanner(f)
	var cur [2]uintptr
	ours := false
	for sc.Scan() {
		line := sc.Bytes()
		if ours && bytes.HasPrefix(line, []byte("Anonymous:")) {
			if strings.TrimSpace(strings.TrimSuffix(string(line[len("Anonymous:"):]), "kB")) == "0" {
				spans = append(spans, cur)
			}
			ours = false
			continue
		}
		fields := strings.Fields(string(line))
		if len(fields) < 6 || !strings.Contains(fields[0], "-") {
			continue
		}
		ours = false
		if fields[5] != exe || (fields[1] != "r-xp" && fields[1] != "r--p") {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && b > a {
			cur, ours = [2]uintptr{uintptr(a), uintptr(b)}, true
		}
	}
	f.Close()
	for _, s := range spans {
		// An error leaves the pages where they were: nothing to report.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, s[0], s[1]-s[0], syscall.MADV_DONTNEED)
	}
}
