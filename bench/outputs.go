package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// What the measured processes printed, read back to check they did the
// work (every target answered, every check OK) and to count false loss.

// errOutput: a tool's output is not what the run needs.
var errOutput = errors.New("unexpected output")

// pingTally counts one sweep: targets seen, packets sent and lost, and
// checks that ended without a verdict (noctop's UNKNOWN).
type pingTally struct {
	targets, sent, lost, unknown int
}

// parseFping reads fping -C N -q's per-target lines ("127.1.0.1 : 0.03 -
// 0.05", "-" for a lost packet) and checks each has count entries.
func parseFping(r io.Reader, count int) (pingTally, error) {
	var t pingTally
	b, err := io.ReadAll(r)
	if err != nil {
		return t, err
	}
	for line := range strings.Lines(string(b)) {
		_, rest, ok := strings.Cut(line, " : ")
		if !ok {
			continue // warnings such as ICMP errors from elsewhere
		}
		f := strings.Fields(rest)
		if len(f) != count {
			return t, fmt.Errorf("%w: fping line %q: want %d results", errOutput, strings.TrimSpace(line), count)
		}
		t.targets++
		t.sent += count
		for _, v := range f {
			if v == "-" {
				t.lost++
			}
		}
	}
	return t, nil
}

// checkJSON is the part of `noctop check --json` the harness reads.
type checkJSON struct {
	Status   string `json:"status"`
	ICMPMode string `json:"icmp_mode"`
	Assets   []struct {
		Checks []struct {
			Type    string              `json:"type"`
			Status  string              `json:"status"`
			Summary string              `json:"summary"`
			Metrics map[string]*float64 `json:"metrics"`
		} `json:"checks"`
	} `json:"assets"`
}

// readCheckJSON parses the output file of a `noctop check --json` run.
func readCheckJSON(path string) (checkJSON, pingTally, map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return checkJSON{}, pingTally{}, nil, err
	}
	defer f.Close()
	return parseCheckJSON(f)
}

// parseCheckJSON reads noctop check --json: checks by status, and icmp
// packets sent and lost (sent - received). An UNKNOWN icmp check (no
// verdict: the probe could not measure) is counted, not its packets.
func parseCheckJSON(r io.Reader) (rep checkJSON, t pingTally, byStatus map[string]int, err error) {
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return rep, t, nil, fmt.Errorf("%w: check --json: %w", errOutput, err)
	}
	byStatus = map[string]int{}
	for _, a := range rep.Assets {
		for _, c := range a.Checks {
			byStatus[c.Status]++
			if c.Type != "icmp" {
				continue
			}
			t.targets++
			if c.Status == "UNKNOWN" {
				t.unknown++
				continue
			}
			sent, recv := metric(c.Metrics, "sent"), metric(c.Metrics, "received")
			t.sent += int(sent)
			t.lost += int(sent - recv)
		}
	}
	return rep, t, byStatus, nil
}

// allOK says what is wrong when not every one of want checks is OK.
func allOK(byStatus map[string]int, want int) error {
	if byStatus["OK"] == want && len(byStatus) == 1 {
		return nil
	}
	return fmt.Errorf("%w: want %d checks OK, got %v", errOutput, want, byStatus)
}

func metric(m map[string]*float64, name string) float64 {
	if v := m[name]; v != nil {
		return *v
	}
	return 0
}
