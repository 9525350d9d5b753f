package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// replaceFile writes path the way editors do: a temporary file renamed over
// the old one (the watcher must follow the name, not the inode).
func replaceFile(t *testing.T, path, text string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".noctop.toml.swp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func isReload(summary string) func(logLine) bool {
	return func(l logLine) bool { return l.Kind == "reload" && strings.HasPrefix(l.Msg, summary) }
}

// A running headless monitor follows its config file: a valid change is
// applied (a check added appears, an unchanged one keeps its state: no new
// events for it), an invalid one is refused with file:line:col while the
// old config goes on polling, and SIGHUP reloads too.
func TestHeadlessReloadsConfig(t *testing.T) {
	web, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	go acceptAndClose(web)
	head := "[defaults]\ninterval = \"200ms\"\ntimeout = \"100ms\"\nretries = 1\n"
	one := head + tcpAsset("db", closedPort(t))
	two := one + tcpAsset("web", web.Addr().(*net.TCPAddr).Port)
	path := writeConfig(t, one)
	h := startHeadless(t, path)
	h.waitLine(t, "db CRITICAL", func(l logLine) bool { return l.Asset == "db" && l.Check == "" && l.To == "CRITICAL" && l.Hard })

	// A valid change: web is added (and is OK: a first OK is no event),
	// db is kept, hard CRITICAL as it was.
	replaceFile(t, path, two+"\n[[asset]]\nname = \"down\"\naddress = \"127.0.0.1\"\n  [[asset.check]]\n  type = \"tcp\"\n  port = 1\n")
	h.waitLine(t, "the reload", isReload("config reloaded: 2 checks added, 0 removed, 1 kept"))
	h.waitLine(t, "the added check failing", func(l logLine) bool { return l.Asset == "down" && l.To == "CRITICAL" })

	// An invalid change is refused; the config applied before goes on.
	if err := os.WriteFile(path, []byte(two+"\n[[asset]]\nname = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := h.waitLine(t, "the refusal", func(l logLine) bool { return l.Msg == "config error" })
	if !regexp.MustCompile(`^`+regexp.QuoteMeta(path)+`:\d+:\d+: `).MatchString(refused.Error) || refused.Level != "ERROR" {
		t.Fatalf("refusal logged as %q", refused.Text)
	}
	web.Close()
	h.waitLine(t, "web failing under the old config", func(l logLine) bool { return l.Asset == "web" && l.Check == "" && l.To == "CRITICAL" })

	// Back to a valid file, then SIGHUP: both reload; the down asset goes.
	replaceFile(t, path, two)
	h.waitLine(t, "the reload after the refusal", isReload("config reloaded: 0 checks added, 1 removed, 2 kept"))
	h.signal(t, syscall.SIGHUP)
	h.waitLine(t, "the SIGHUP notice", msgIs("SIGHUP: reloading "+path))
	h.waitLine(t, "the reload on SIGHUP", isReload("config reloaded: 0 checks added, 0 removed, 2 kept"))

	h.signal(t, syscall.SIGTERM)
	code, _ := h.wait(t)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, h.log())
	}
	// db never went back to PENDING: no state change of it after its first.
	n := 0
	for _, l := range h.seen {
		if l.Asset == "db" && l.Kind == "state" {
			n++
		}
	}
	if n != 2 { // the check's and the asset's OK -> CRITICAL
		t.Errorf("db changed state %d times, want 2 (before the reloads only)\n%s", n, h.log())
	}
}

// The dashboard's banner shows a refused config's first error as
// file:line:col until a valid config is written back.
func TestDashboardBannerShowsRefusedConfig(t *testing.T) {
	tm := newTmuxTerm(t)
	path := dashboardConfig(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tm.startDashboard(path)
	tm.waitScreen("db", "the dashboard")
	if err := os.WriteFile(path, append(good, "\n[[asset]]\nname = 1\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	// The pane is 120 columns: wide enough for the temporary path and
	// its position.
	at := regexp.MustCompile(`config refused: ` + regexp.QuoteMeta(path) + `:\d+:\d+: `)
	tm.waitFor("the refused config in the banner", func() bool { return at.MatchString(tm.screen()) })
	replaceFile(t, path, string(good))
	tm.waitFor("the banner to clear", func() bool { return !strings.Contains(tm.screen(), "config refused") })
	tm.tmux("send-keys", "-t", "t", "q")
	tm.waitScreen("exit=0", "the dashboard to quit on q")
}

// A config that is a symlink (into a directory of its own) is followed:
// rewriting the file it points to reloads it.
func TestHeadlessReloadsThroughSymlink(t *testing.T) {
	head := "[defaults]\ninterval = \"200ms\"\ntimeout = \"100ms\"\n"
	target := writeConfig(t, head+tcpAsset("db", listening(t)))
	link := filepath.Join(t.TempDir(), "noctop.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	h := startHeadless(t, link)
	h.waitLine(t, "noctop started", msgIs("noctop started"))
	replaceFile(t, target, head+tcpAsset("db", listening(t))+tcpAsset("web", listening(t)))
	h.waitLine(t, "the reload", isReload("config reloaded: 1 check added, 0 removed, 1 kept"))
}
