package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// serveStart is what `noctop serve`'s start line says of SSH.
type serveStart struct {
	SSH     string `json:"ssh"`
	HostKey string `json:"host_key"`
}

func startServe(t *testing.T, config, state, viewers string) (*headlessRun, serveStart) {
	t.Helper()
	h := startLogging(t, exec.Command(binPath, "serve", "--log-format", "json", "-c", config, "--state-dir", state,
		"--ssh-listen", "127.0.0.1:0", "--authorized-keys", viewers))
	l := h.waitLine(t, "noctop started", msgIs("noctop started"))
	var st serveStart
	if err := json.Unmarshal([]byte(l.Text), &st); err != nil || !strings.HasPrefix(st.SSH, "127.0.0.1:") || !strings.HasPrefix(st.HostKey, "SHA256:") {
		t.Fatalf("start line %s: want ssh and host_key (%v)", l.Text, err)
	}
	return h, st
}

func sshDial(t *testing.T, st serveStart, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", st.SSH, &gossh.ClientConfig{
		User: "noc",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if gossh.FingerprintSHA256(k) != st.HostKey {
				return errors.New("host key is not the one the start line named")
			}
			return nil
		},
		Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// noctop serve for real: a session without a PTY gets check's table and
// exit status, a dashboard session is told when SIGTERM stops the server,
// logins are in the log, and a restart serves the same host key.
func TestServe(t *testing.T) {
	path := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  name = "down"
  port = %d
  retries = 1
  timeout = "1s"
`, closedPort(t)))
	state := t.TempDir()
	key, viewers := viewerKey(t)
	h, st := startServe(t, path, state, viewers)
	c := sshDial(t, st, key)

	// No PTY: the table, exit 2 once web1/down is CRITICAL.
	var out []byte
	var exit *gossh.ExitError
	for range 300 {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err = sess.Output("")
		if errors.As(err, &exit) && exit.ExitStatus() == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if exit == nil || exit.ExitStatus() != 2 || !strings.Contains(string(out), "noctop check:") || !strings.Contains(string(out), "CRITICAL") {
		t.Fatalf("table %q, exit %v: want check's table, exit 2", out, exit)
	}
	h.waitLine(t, "the table's event", func(l logLine) bool {
		return l.Kind == "session" && strings.HasPrefix(l.Msg, "table sent to viewer vera@desk (SHA256:")
	})

	// A second monitor on the same database is told where to attach.
	second := exec.Command(binPath, "--headless", "-c", path, "--state-dir", state)
	msg, _ := second.CombinedOutput()
	_, port, _ := net.SplitHostPort(st.SSH)
	if second.ProcessState.ExitCode() != 3 || !strings.Contains(string(msg), "attach with `ssh -p "+port+" 127.0.0.1` (host key "+st.HostKey+")") {
		t.Errorf("a second monitor: exit %d, said:\n%s", second.ProcessState.ExitCode(), msg)
	}

	// A dashboard session, then SIGTERM: told, closed, exit 0.
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	sess.Stdout = &screen
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	h.waitLine(t, "the dashboard's login", func(l logLine) bool {
		return l.Kind == "session" && strings.HasPrefix(l.Msg, "login viewer vera@desk (SHA256:")
	})
	h.signal(t, syscall.SIGTERM)
	if err := sess.Wait(); err != nil {
		t.Errorf("dashboard session: %v", err)
	}
	if !strings.Contains(screen.String(), "noctop serve is stopping, session closed") {
		t.Errorf("the viewer was not told; it got:\n%q", screen.String())
	}
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h.log())
	}

	if _, err := os.Stat(filepath.Join(state, serveHintFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left after serve stopped: %v", serveHintFile, err)
	}

	// The same state directory: the same host key.
	h2, st2 := startServe(t, path, state, viewers)
	if st2.HostKey != st.HostKey {
		t.Fatalf("host key %s after a restart, was %s", st2.HostKey, st.HostKey)
	}
	sshDial(t, st2, key)
	h2.signal(t, syscall.SIGTERM)
	if code, _ := h2.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h2.log())
	}
}

// viewerKey makes an SSH key and an authorized_keys file naming it
// (comment vera@desk), for a viewer of noctop serve.
func viewerKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	viewers := filepath.Join(t.TempDir(), "viewers")
	if err := os.WriteFile(viewers, append(bytes.TrimSpace(gossh.MarshalAuthorizedKey(key.PublicKey())), " vera@desk\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	return key, viewers
}
