package serve

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"noctop/model"
)

// An authorized key gets the dashboard: the header with the config's
// name, the login told in the status line and as an event.
func TestViewerGetsDashboard(t *testing.T) {
	r := newRig(t, Options{})
	s := openScreen(t, r.login(r.viewer), 120, 40, true)
	s.waitText("rig.toml")
	s.waitText("logged in as vera@desk (viewer)")
	ev := r.waitEvent("login viewer vera@desk", "SHA256:", "127.0.0.1:")
	if fp := gossh.FingerprintSHA256(r.viewer.PublicKey()); !strings.Contains(ev, fp) {
		t.Errorf("login event %q lacks the key's fingerprint %s", ev, fp)
	}
	s.keys("q")
	s.waitEnd()
	r.waitEvent("logout viewer vera@desk", "quit")
}

// An unknown key and a password are refused, and both are events.
func TestRefusals(t *testing.T) {
	r := newRig(t, Options{})
	if c, err := r.dial(gossh.PublicKeys(r.stranger)); err == nil {
		c.Close()
		t.Fatal("a key in neither file logged in")
	}
	r.waitEvent("refused key "+gossh.FingerprintSHA256(r.stranger.PublicKey()), "127.0.0.1:")
	// Password and keyboard-interactive are not even offered: the client
	// has nothing to try after "none", and no password ever travels.
	answered := false
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		answered = true
		return []string{"hunter2"}, nil
	})
	for name, auth := range map[string]gossh.AuthMethod{"password": gossh.Password("hunter2"), "keyboard-interactive": ki} {
		c, err := r.dial(auth)
		if err == nil {
			c.Close()
			t.Fatalf("%s logged in", name)
		}
		if !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("%s: %v, want the method not offered", name, err)
		}
	}
	if answered {
		t.Error("the server asked keyboard-interactive questions")
	}
	for _, ev := range r.sessionEvents() {
		if strings.HasPrefix(ev, "login") {
			t.Errorf("event %q", ev)
		}
	}
}

// Neither key file: nobody could log in, so Listen refuses.
func TestNoKeyFiles(t *testing.T) {
	_, err := Listen(t.Context(), Options{Listen: "127.0.0.1:0", HostKey: t.TempDir() + "/k"})
	if !errors.Is(err, ErrNoKeys) {
		t.Fatalf("got %v, want ErrNoKeys", err)
	}
}

// A viewer's a is refused in the status line and the engine has no ack;
// an operator's a, a comment and Enter ack the problem in the engine, in
// the key's name.
func TestOnlyOperatorsAck(t *testing.T) {
	r := newRig(t, Options{})
	sw := model.CheckKey{Asset: "core-sw1", Check: "icmp"}
	r.submit(sw, model.StatusCritical, "3/3 lost")

	v := openScreen(t, r.login(r.viewer), 120, 40, true)
	v.waitText("3/3 lost")
	v.keys("a")
	v.waitText(ReadOnly)
	v.keys("m")
	v.keys("on it\r")
	if a := r.latest().Asset("core-sw1"); a.Ack != nil || a.Maintenance != nil {
		t.Fatalf("a viewer's keys reached the engine: ack %+v, maintenance %+v", a.Ack, a.Maintenance)
	}

	o := openScreen(t, r.login(r.operator), 120, 40, true)
	o.waitText("3/3 lost")
	o.keys("a")
	o.waitText("ack core-sw1")
	o.keys("on it\r")
	o.waitText("acknowledged core-sw1 as otto@noc")
	a := r.latest().Asset("core-sw1").Ack
	if a == nil || a.By != "otto@noc" || a.Comment != "on it" {
		t.Fatalf("engine's ack %+v, want otto@noc's with its comment", a)
	}
	// The viewer's screen follows the engine: the ack's mark arrives.
	v.waitText("⚑")

	// m opens a maintenance window in the operator's name, M ends it.
	o.keys("m")
	o.keys("2h firmware\r")
	o.waitText("maintenance window on core-sw1 until")
	if mw := r.latest().Asset("core-sw1").Maintenance; mw == nil {
		t.Fatal("no maintenance window after the operator's m")
	}
	o.waitText("⚒ until")
	o.keys("/core-sw1\r") // the row moved with its status: find it again
	o.keys("M")
	// (a diff of two notices that start alike draws only the new end)
	o.waitText("ended by otto@no")
	if mw := r.latest().Asset("core-sw1").Maintenance; mw != nil {
		t.Fatalf("window %+v after M", mw)
	}
}

// The session over the limit is told why and closed; the others stay.
func TestSessionLimit(t *testing.T) {
	r := newRig(t, Options{MaxSessions: 2})
	a := openScreen(t, r.login(r.viewer), 80, 24, true)
	b := openScreen(t, r.login(r.operator), 80, 24, true)
	a.waitText("rig.toml")
	b.waitText("rig.toml")
	sess, err := r.login(r.viewer).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	sess.Stderr = &stderr
	err = sess.Run("")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("third session: %v, want exit status 1", err)
	}
	if want := "2 sessions are open, the most --max-sessions allows: try again later"; !strings.Contains(stderr.String(), want) {
		t.Fatalf("third session was told %q, want %q", stderr.String(), want)
	}
	r.waitEvent("refused viewer vera@desk", "session limit reached (2)")
	// The first two still get frames; one quits and a new one fits.
	r.submit(model.CheckKey{Asset: "web", Check: "http"}, model.StatusWarning, "slow")
	a.waitText("http: slow")
	b.waitText("http: slow")
	a.keys("q")
	a.waitEnd()
	c := openScreen(t, r.login(r.viewer), 80, 24, true)
	c.waitText("rig.toml")
}

// A session without a PTY gets the table of the latest snapshot and its
// exit status.
func TestNoPTYGetsTable(t *testing.T) {
	r := newRig(t, Options{})
	r.submit(model.CheckKey{Asset: "web", Check: "http"}, model.StatusCritical, "refused")
	sess, err := r.login(r.viewer).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.Output("")
	if err != nil {
		t.Fatalf("%v (printed %q)", err, out)
	}
	if got := string(out); !strings.Contains(got, "CRITICAL web\n") || !strings.Contains(got, "core-sw1") {
		t.Fatalf("table %q", got)
	}
	r.waitEvent("table sent to viewer vera@desk (SHA256:")
}

// The host key is made once (0600) and the same key is served after a
// restart, so clients never see it change.
func TestHostKeyStable(t *testing.T) {
	r := newRig(t, Options{})
	first := r.srv.Fingerprint()
	path := filepath.Join(r.dir, "state", HostKeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %o, want 600", fi.Mode().Perm())
	}
	r.login(r.viewer).Close()
	r.stop()
	r.start(Options{})
	if got := r.srv.Fingerprint(); got != first {
		t.Fatalf("fingerprint %s after a restart, was %s", got, first)
	}
	r.login(r.viewer) // dial checks the served key is that one
	// A key others may read is refused, as OpenSSH refuses it.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Listen(t.Context(), Options{Listen: "127.0.0.1:0", HostKey: path, AuthorizedKeys: filepath.Join(r.dir, "viewers")})
	if !errors.Is(err, ErrHostKey) || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable host key: %v", err)
	}
}

// Stopping the server tells each viewer and closes the session.
func TestStopTellsViewers(t *testing.T) {
	r := newRig(t, Options{})
	s := openScreen(t, r.login(r.viewer), 100, 30, true)
	s.waitText("rig.toml")
	r.stop()
	s.waitText("noctop serve is stopping, session closed")
	s.waitEnd()
}

// No key pressed for the idle timeout closes the session, saying so.
func TestIdleTimeout(t *testing.T) {
	r := newRig(t, Options{IdleTimeout: 300 * time.Millisecond})
	s := openScreen(t, r.login(r.viewer), 100, 30, true)
	s.waitText("no key pressed for the idle timeout: session closed")
	s.waitEnd()
}

// Bad key files are refused with the file and line.
func TestBadKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys")
	writeFile(t, path, "# ok\n\nssh-ed25519 AAAAnotbase64!! x\n")
	_, err := Listen(t.Context(), Options{Listen: "127.0.0.1:0", HostKey: filepath.Join(dir, "k"), AuthorizedKeys: path})
	if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), path+":3:") {
		t.Fatalf("got %v, want ErrKeyFile at %s:3", err, path)
	}
	writeFile(t, path, `from="10.0.0.1" `+authorizedLine(newSigner(t), "x"))
	_, err = Listen(t.Context(), Options{Listen: "127.0.0.1:0", HostKey: filepath.Join(dir, "k"), AuthorizedKeys: path})
	if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), "options") {
		t.Fatalf("got %v, want options refused", err)
	}
}

// ReloadKeys (SIGHUP) lets new keys in and old ones out; a bad file
// keeps the keys in force.
func TestReloadKeys(t *testing.T) {
	r := newRig(t, Options{})
	viewers := filepath.Join(r.dir, "viewers")
	if c, err := r.dial(gossh.PublicKeys(r.stranger)); err == nil {
		c.Close()
		t.Fatal("the stranger logged in before it was listed")
	}
	writeFile(t, viewers, authorizedLine(r.stranger, "new@colleague"))
	if err := r.srv.ReloadKeys(); err != nil {
		t.Fatal(err)
	}
	s := openScreen(t, r.login(r.stranger), 100, 30, true)
	s.waitText("logged in as new@colleague (viewer)")
	if c, err := r.dial(gossh.PublicKeys(r.viewer)); err == nil {
		c.Close()
		t.Fatal("a key taken out of the file still logs in")
	}
	writeFile(t, viewers, "ssh-ed25519 garbage\n")
	if err := r.srv.ReloadKeys(); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("bad file: %v, want ErrKeyFile", err)
	}
	r.login(r.stranger).Close() // the keys in force stayed
}

// r asks the engine for a recheck from an operator's session only.
func TestOnlyOperatorsRecheck(t *testing.T) {
	r := newRig(t, Options{})
	r.submit(model.CheckKey{Asset: "core-sw1", Check: "icmp"}, model.StatusCritical, "3/3 lost")
	v := openScreen(t, r.login(r.viewer), 120, 40, true)
	v.waitText("3/3 lost")
	v.keys("r")
	v.waitText(ReadOnly)
	o := openScreen(t, r.login(r.operator), 120, 40, true)
	o.waitText("3/3 lost")
	o.keys("r")
	o.waitText("recheck requested: core-sw1")
	r.latest() // the engine has handled every recheck sent before
	var got []string
	for len(r.rechecks) > 0 {
		got = append(got, (<-r.rechecks).String())
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "core-sw1") {
		t.Fatalf("rechecks %q, want core-sw1's alone (the operator's)", got)
	}
}
