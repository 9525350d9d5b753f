package main

import (
	"strings"
	"testing"
)

func TestComparisonMarkdown(t *testing.T) {
	a := measured{label: "`noctop check --json`", short: "noctop", extra: []string{"0 lost"}}
	b := measured{label: "`fping -C3`", short: "fping", extra: []string{"0 lost"}}
	for _, u := range []usage{{wall: 1.6, user: 0.5, sys: 0.1, maxRSSKiB: 30 << 10}, {wall: 1.7, user: 0.5, sys: 0.2, maxRSSKiB: 31 << 10}, {wall: 1.65, user: 0.6, sys: 0.1, maxRSSKiB: 32 << 10}} {
		a.add(u)
	}
	for _, u := range []usage{{wall: 32, user: 0.6, sys: 0.4, maxRSSKiB: 2560}, {wall: 32, user: 0.6, sys: 0.4, maxRSSKiB: 2560}, {wall: 33, user: 0.5, sys: 0.3, maxRSSKiB: 2560}} {
		b.add(u)
	}
	// Ratios are per round (1.6/32, 1.7/32, 1.65/33; 0.6/1.0, 0.7/1.0,
	// 0.7/0.8), then median and range.
	c := comparison{title: "ICMP", intro: "What ran.", extraCols: []string{"false loss"}, rows: []measured{a, b}, ref: 1, notes: []string{"A note."}}
	want := `### ICMP

What ran.

| process | wall s | CPU s (user+sys) | peak RSS MiB | false loss |
| --- | ---: | ---: | ---: | ---: |
| ` + "`noctop check --json`" + ` | 1.65 (1.60-1.70) | 0.700 (0.600-0.700) | 31.0 (30.0-32.0) | 0 lost |
| ` + "`fping -C3`" + ` | 32.0 (32.0-33.0) | 1.00 (0.800-1.00) | 2.50 | 0 lost |
| **noctop / fping** | 0.050x (0.050-0.053) | 0.70x (0.60-0.87) | 12x (12-13) |  |

- A note.

`
	if got := c.markdown(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPickSections(t *testing.T) {
	names := func(ss []section) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.name)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		o    options
		want string
	}{
		{options{}, "icmp,validate,snmp,discover,http,rest,history,dashboard,serve,estate"},
		{options{quick: true}, "icmp,validate,snmp,discover,http,rest,serve,estate"},
		{options{quick: true, only: "serve"}, "serve"},
		{options{only: "rest, icmp"}, "icmp,rest"},
		{options{quick: true, only: "history"}, ""},
	} {
		got, err := pickSections(tc.o)
		if err != nil || names(got) != tc.want {
			t.Errorf("pickSections(%+v) = %q, %v; want %q", tc.o, names(got), err, tc.want)
		}
	}
	if _, err := pickSections(options{only: "icmp,fping"}); err == nil || !strings.Contains(err.Error(), `"fping"`) {
		t.Errorf("unknown section: err = %v", err)
	}
}

func TestLoopbackTargets(t *testing.T) {
	got := loopbackTargets(1, 10000)
	if got[0] != "127.1.0.1" || got[249] != "127.1.0.250" || got[250] != "127.1.1.1" || got[9999] != "127.1.39.250" {
		t.Errorf("targets %s %s %s ... %s", got[0], got[249], got[250], got[9999])
	}
	seen := map[string]bool{}
	for _, a := range got {
		if seen[a] || !strings.HasPrefix(a, "127.") {
			t.Fatalf("%s repeated or off loopback", a)
		}
		seen[a] = true
	}
}
