package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"noctop/model"
	"noctop/ui"
)

// waitFor bounds the waits for what a real server sends: a deadline to
// fail on, never a figure the test asserts.
const waitFor = 20 * time.Second

// rig is a real engine and a real server on 127.0.0.1:0, with three keys:
// a viewer ("vera@desk"), an operator ("otto@noc") and a stranger.
type rig struct {
	t                          testing.TB
	engine                     *model.Engine
	srv                        *Server
	dir                        string
	viewer, operator, stranger gossh.Signer
	cancel                     context.CancelFunc
	served                     chan error
	rechecks                   chan model.CheckKey // what the engine asked the (absent) scheduler to run
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorizedLine(s gossh.Signer, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))) + " " + comment + "\n"
}

// rigConfig is two assets: core-sw1 (icmp) and web (http).
func rigConfig() *model.Config {
	cfg := &model.Config{Path: "/etc/noctop/rig.toml", Assets: []model.Asset{
		{Name: "core-sw1", Checks: []model.Check{{Type: "icmp", Name: "icmp"}}},
		{Name: "web", Checks: []model.Check{{Type: "http", Name: "http"}}},
	}}
	cfg.ApplyDefaults()
	return cfg
}

func newRig(t testing.TB, opts Options) *rig {
	t.Helper()
	return newRigWith(t, rigConfig(), opts)
}

// newRigWith is newRig over cfg.
func newRigWith(t testing.TB, cfg *model.Config, opts Options) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), viewer: newSigner(t), operator: newSigner(t), stranger: newSigner(t),
		rechecks: make(chan model.CheckKey, 64)}
	writeFile(t, filepath.Join(r.dir, "viewers"), authorizedLine(r.viewer, "vera@desk"))
	writeFile(t, filepath.Join(r.dir, "operators"), "# the NOC\n"+authorizedLine(r.operator, "otto@noc"))
	r.engine = model.NewEngine(cfg, model.EngineOptions{Recheck: func(k model.CheckKey) {
		select {
		case r.rechecks <- k:
		default:
		}
	}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.engine.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	r.start(opts)
	return r
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// start binds a server (the rig's key files and host key unless opts
// says) and serves until stop or the test's end.
func (r *rig) start(opts Options) {
	r.t.Helper()
	opts.Listen = "127.0.0.1:0"
	if opts.HostKey == "" {
		opts.HostKey = filepath.Join(r.dir, "state", HostKeyFile)
	}
	if opts.AuthorizedKeys == "" {
		opts.AuthorizedKeys = filepath.Join(r.dir, "viewers")
	}
	if opts.OperatorKeys == "" {
		opts.OperatorKeys = filepath.Join(r.dir, "operators")
	}
	srv, err := Listen(context.Background(), opts)
	if err != nil {
		r.t.Fatal(err)
	}
	r.srv = srv
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.served = make(chan error, 1)
	app := App{Engine: r.engine, UI: ui.Options{ConfigName: "rig.toml", ICMPMode: "datagram", Version: "test"},
		Table: func(w io.Writer, s *model.Snapshot, _ []string) (int, error) {
			for _, a := range s.Assets {
				fmt.Fprintf(w, "%s %s\n", a.Status, a.Name)
			}
			return 0, nil
		}}
	go func() { r.served <- srv.Serve(ctx, app) }()
	r.t.Cleanup(r.stop)
}

// stop ends Serve (as SIGTERM does) and waits for it.
func (r *rig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.served:
		if err != nil {
			r.t.Errorf("Serve: %v", err)
		}
	case <-time.After(waitFor):
		r.t.Error("Serve did not return after its ctx ended")
	}
}

// dial logs in with auth, checking the host key is the server's.
func (r *rig) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", r.srv.Addr().String(), &gossh.ClientConfig{
		User: "noc",
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			if got := gossh.FingerprintSHA256(key); got != r.srv.Fingerprint() {
				return fmt.Errorf("host key %s, want %s", got, r.srv.Fingerprint())
			}
			return nil
		},
		Timeout: waitFor,
	})
}

func (r *rig) login(s gossh.Signer) *gossh.Client {
	r.t.Helper()
	c, err := r.dial(gossh.PublicKeys(s))
	if err != nil {
		r.t.Fatalf("login: %v", err)
	}
	r.t.Cleanup(func() { _ = c.Close() })
	return c
}

// screen is a PTY session and everything it printed, ANSI stripped.
type screen struct {
	t    testing.TB
	sess *gossh.Session
	in   io.WriteCloser
	out  io.Reader
	mu   sync.Mutex
	raw  bytes.Buffer
	more chan struct{} // ticks on each read
	done chan struct{} // the output ended
}

// open starts a dashboard session of w x h on c; read false leaves its
// output unread (a viewer that stopped reading).
func openScreen(t testing.TB, c *gossh.Client, w, h int, read bool, env ...string) *screen {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	s := &screen{t: t, sess: sess, more: make(chan struct{}, 1), done: make(chan struct{})}
	if s.out, err = sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if s.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if read {
		s.read()
	}
	return s
}

// read reads the session's output from now on.
func (s *screen) read() {
	go func() {
		defer close(s.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := s.out.Read(buf)
			s.mu.Lock()
			s.raw.Write(buf[:n])
			s.mu.Unlock()
			select {
			case s.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
}

// text is what the session printed so far, escape sequences removed.
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.raw.String())
}

// waitText waits until the output holds want.
func (s *screen) waitText(want string) {
	s.t.Helper()
	deadline := time.After(waitFor)
	for !strings.Contains(s.text(), want) {
		select {
		case <-s.more:
		case <-s.done:
			if !strings.Contains(s.text(), want) {
				s.t.Fatalf("session ended without %q; it printed:\n%s", want, tail(s.text()))
			}
		case <-deadline:
			s.t.Fatalf("no %q within %s; the session printed:\n%s", want, waitFor, tail(s.text()))
		}
	}
}

// waitEnd waits for the session's output to end.
func (s *screen) waitEnd() {
	s.t.Helper()
	select {
	case <-s.done:
	case <-time.After(waitFor):
		s.t.Fatalf("session still open; it printed:\n%s", tail(s.text()))
	}
}

func (s *screen) keys(k string) {
	s.t.Helper()
	if _, err := s.in.Write([]byte(k)); err != nil {
		s.t.Fatal(err)
	}
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

// submit gives the engine a result for key and waits until it is in a
// snapshot.
func (r *rig) submit(key model.CheckKey, st model.Status, summary string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := r.engine.Submit(ctx, model.Result{Key: key, At: time.Now(), Outcome: model.Outcome{Status: st, Summary: summary}}); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.engine.Sync(ctx); err != nil {
		r.t.Fatal(err)
	}
}

// sessionEvents are the engine's session events so far.
func (r *rig) sessionEvents() []string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	s, err := r.engine.Sync(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, ev := range s.Events {
		if ev.Kind == model.EventSession {
			out = append(out, ev.Summary)
		}
	}
	return out
}

// waitEvent waits for a session event holding every part.
func (r *rig) waitEvent(parts ...string) string {
	r.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		evs := r.sessionEvents()
		for _, ev := range evs {
			if containsAll(ev, parts) {
				return ev
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no session event with %q; got %q", parts, evs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// latest is the engine's snapshot after everything sent before.
func (r *rig) latest() *model.Snapshot {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	s, err := r.engine.Sync(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}
