package serve

import (
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
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
