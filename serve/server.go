// Package serve serves the dashboard over SSH: one monitor, many viewers,
// each with its own ui.Root over the engine's snapshots. It reads the
// engine and sends it commands; it knows nothing of probes or the store.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"noctop/model"
	"noctop/ui"
)

// Defaults of the flags.
const (
	DefaultListen      = "127.0.0.1:2222"
	DefaultMaxSessions = 32
)

// handshakeTimeout bounds a connection until it has logged in: a client
// that stalls or sends garbage holds nothing for long.
const handshakeTimeout = 10 * time.Second

// stopGrace is how long Serve waits for sessions to close after telling
// them the server stops; then their connections are cut.
const stopGrace = 3 * time.Second

// Options configure a server.
type Options struct {
	Listen string // host:port; "" is DefaultListen
	// HostKey is the host key's path (generated there the first time).
	HostKey string
	// AuthorizedKeys and OperatorKeys are authorized_keys files: viewers
	// and operators. Either may be "", not both.
	AuthorizedKeys, OperatorKeys string
	MaxSessions                  int           // 0 is DefaultMaxSessions
	IdleTimeout                  time.Duration // no key pressed that long ends a session; 0 never
}

// App is what the sessions show: the running monitor's engine and how to
// draw it.
type App struct {
	// Engine is the monitor's engine: snapshots come from it, an
	// operator's commands and the session events go to it.
	Engine *model.Engine
	// Feed, when Engine is nil, is where the snapshots come from instead
	// (the estate view of noctop serve --prom): operators then get UI's
	// Ack, Unack and Remote as given, and Log gets the session events.
	Feed Feed
	Log  func(string)
	// UI is each session's ui.Options before serve sets Snapshots, the
	// engine's commands, Operator, ReadOnly and NoColor: the header's
	// facts, the archive, wall mode.
	UI ui.Options
	// Table writes the `check`-style table of s for a session without a
	// PTY (env is the session's environment, for colours) and returns the
	// exit status.
	Table func(w io.Writer, s *model.Snapshot, env []string) (int, error)
}

// Feed hands out snapshots without an engine behind them.
type Feed interface {
	// Subscribe returns a channel holding the latest snapshot, latest
	// wins, and the function that ends the subscription (closing it).
	Subscribe() (<-chan *model.Snapshot, func())
	// Latest is the newest snapshot, nil before the first.
	Latest() *model.Snapshot
}

// Server is a bound SSH server; Serve runs it.
type Server struct {
	opts   Options
	app    App // set by Serve
	ln     net.Listener
	signer gossh.Signer
	keys   atomic.Pointer[keyring] // swapped whole by ReloadKeys
	open   atomic.Int64            // sessions running

	// mu orders a session's start against the stop: once stopping is
	// set no session starts, so active.Wait never races an Add.
	mu       sync.Mutex
	stopping bool
	active   sync.WaitGroup
}

// begin registers a session; false once the server stops.
func (s *Server) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.active.Add(1)
	return true
}

// drained is closed when every session has ended; no session starts after
// it is called.
func (s *Server) drained() <-chan struct{} {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	return done
}

// ErrNoKeys is returned when neither key file is given: with public keys
// the only way in, nobody could log in.
var ErrNoKeys = errors.New("no --authorized-keys or --operator-keys: nobody could log in")

// Listen reads the key files and the host key (making one the first time)
// and binds the address; its errors say which file or address.
func Listen(ctx context.Context, opts Options) (*Server, error) {
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	if opts.AuthorizedKeys == "" && opts.OperatorKeys == "" {
		return nil, ErrNoKeys
	}
	keys, err := readKeys(opts)
	if err != nil {
		return nil, err
	}
	signer, err := hostKey(opts.HostKey)
	if err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.Listen)
	if err != nil {
		return nil, err
	}
	srv := &Server{opts: opts, ln: ln, signer: signer}
	srv.keys.Store(&keys)
	return srv, nil
}

// readKeys reads both key files.
func readKeys(opts Options) (keyring, error) {
	keys := keyring{}
	for _, f := range []struct {
		path string
		role Role
	}{{opts.AuthorizedKeys, RoleViewer}, {opts.OperatorKeys, RoleOperator}} {
		if f.path == "" {
			continue
		}
		if err := keys.load(f.path, f.role); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// ReloadKeys reads the key files again (SIGHUP): new logins follow them,
// open sessions keep the role they logged in with. On an error the keys
// in force stay.
func (s *Server) ReloadKeys() error {
	keys, err := readKeys(s.opts)
	if err != nil {
		return err
	}
	s.keys.Store(&keys)
	return nil
}

// viewerOf is the authorized key's viewer, false for a key in neither
// file.
func (s *Server) viewerOf(key ssh.PublicKey) (viewer, bool) {
	v, ok := (*s.keys.Load())[string(key.Marshal())]
	return v, ok
}

// Addr is the bound address (the port, when Listen asked for port 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Fingerprint is the host key's SHA256 fingerprint, for users to check
// on their first login.
func (s *Server) Fingerprint() string { return gossh.FingerprintSHA256(s.signer.PublicKey()) }

// Close releases the address when Serve never ran.
func (s *Server) Close() error { return s.ln.Close() }

// Serve serves sessions until ctx ends, then tells every viewer, waits
// for their sessions to close (stopGrace at most) and cuts what is left.
func (s *Server) Serve(ctx context.Context, app App) error {
	s.app = app
	srv := &ssh.Server{
		HostSigners:      []ssh.Signer{s.signer},
		Version:          "noctop",
		HandshakeTimeout: handshakeTimeout,
		PublicKeyHandler: s.publicKey,
		// No password or keyboard-interactive handler: those methods are
		// not offered; AuthLogCallback records who tried them.
		ServerConfigCallback: func(sctx ssh.Context) *gossh.ServerConfig {
			return &gossh.ServerConfig{AuthLogCallback: s.authLog}
		},
	}
	srv.Handler = func(sess ssh.Session) {
		if !s.begin() {
			fmt.Fprintf(sess.Stderr(), "%v\r\n", errStopping)
			_ = sess.Exit(1)
			return
		}
		defer s.active.Done()
		s.session(ctx, sess)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()
	select {
	case err := <-served:
		_ = srv.Close()
		return err
	case <-ctx.Done():
	}
	_ = s.ln.Close() // no new connections; sessions see ctx and close
	done := s.drained()
	select {
	case <-done:
	case <-time.After(stopGrace):
	}
	_ = srv.Close()
	<-served
	<-done // a session's handler returns once its connection is cut
	return nil
}

// publicKey admits the keys of the two files; any other is a refusal
// event.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.viewerOf(key); ok {
		return true
	}
	s.event(fmt.Sprintf("refused key %s from %s: not in the authorized or operator keys", gossh.FingerprintSHA256(key), ctx.RemoteAddr()))
	return false
}

// authLog records the attempts with methods this server does not offer
// (password, keyboard-interactive): public keys are the only way in.
func (s *Server) authLog(conn gossh.ConnMetadata, method string, err error) {
	if method == "none" || method == "publickey" || err == nil {
		return
	}
	s.event(fmt.Sprintf("refused %s login as %s from %s: public keys only", model.Clip(method, 64), model.Clip(conn.User(), 64), conn.RemoteAddr()))
}

// event is a session event in the engine's log. Notify never waits: a
// burst of refusals with the inbox full loses some, counted by the engine.
func (s *Server) event(summary string) {
	if s.app.Engine == nil {
		if s.app.Log != nil {
			s.app.Log(summary)
		}
		return
	}
	_ = s.app.Engine.Notify(model.Notice{Kind: model.EventSession, Summary: summary})
}
