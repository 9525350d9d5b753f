package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	teassh "charm.land/wish/v2/bubbletea"

	"noctop/model"
	"noctop/ui"
)

// ReadOnly is what a viewer without an operator key is told when pressing
// a key that acts on the engine.
const ReadOnly = "read-only: operator key needed"

// Why a session ended early, said to the viewer as the screen closes.
var (
	errStopping = errors.New("noctop serve is stopping, session closed")
	errIdle     = errors.New("no key pressed for the idle timeout: session closed")
)

// quitGrace is how long a program may take to restore the viewer's
// terminal when told to quit; a viewer that stopped reading is then cut.
const quitGrace = 2 * time.Second

// session serves one SSH session until the viewer quits, the connection
// drops, the idle timeout passes or ctx (the server) ends.
func (s *Server) session(ctx context.Context, sess ssh.Session) {
	who, ok := s.viewerOf(sess.PublicKey())
	if !ok { // its key left the files (ReloadKeys) since it was admitted
		_ = sess.Exit(1)
		return
	}
	addr := sess.RemoteAddr().String()
	label := fmt.Sprintf("%s %s (%s) from %s", who.role, model.Clip(who.comment, 128), who.fingerprint, addr)
	if n := s.open.Add(1); n > int64(s.opts.MaxSessions) {
		s.open.Add(-1)
		fmt.Fprintf(sess.Stderr(), "noctop serve: %d sessions are open, the most --max-sessions allows: try again later\r\n", s.opts.MaxSessions)
		s.event("refused " + label + ": session limit reached (" + fmt.Sprint(s.opts.MaxSessions) + ")")
		_ = sess.Exit(1)
		return
	}
	defer s.open.Add(-1)
	start := time.Now()
	if _, _, isPty := sess.Pty(); !isPty {
		// One event, not a login and a logout: a script polling every
		// few seconds would crowd the others out of the event window.
		s.event("table sent to " + label)
		s.table(sess)
		return
	}
	s.event("login " + label)
	err := s.dashboard(ctx, sess, who)
	why := "quit"
	if err != nil {
		why = err.Error()
		fmt.Fprintf(sess, "\r\n%s\r\n", err)
	}
	s.event(fmt.Sprintf("logout %s after %s: %s", label, time.Since(start).Round(time.Second), why))
	_ = sess.Exit(0)
}

// table answers a session without a PTY (`ssh host` piped, a script):
// the check-style table of the latest snapshot, exit status as `check`'s.
func (s *Server) table(sess ssh.Session) {
	snap := s.latest()
	if snap == nil {
		fmt.Fprintln(sess.Stderr(), "noctop serve: no view yet: Prometheus has not answered")
		_ = sess.Exit(3)
		return
	}
	code, err := s.app.Table(sess, snap, sess.Environ())
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "noctop serve: %v\n", err)
		code = 3
	}
	_ = sess.Exit(code)
}

// latest is the newest snapshot of the engine, or of the feed.
func (s *Server) latest() *model.Snapshot {
	if s.app.Engine != nil {
		return s.app.Engine.Latest()
	}
	return s.app.Feed.Latest()
}

// dashboard runs a ui.Root on the session's PTY over its own engine
// subscription: latest wins, so a viewer that stops reading drops frames
// and never holds the engine or the others. It returns why it ended
// early (server stopping, idle), nil when the viewer quit or went away.
func (s *Server) dashboard(ctx context.Context, sess ssh.Session, who viewer) error {
	opts := s.app.UI
	e := s.app.Engine
	if e != nil {
		sub := e.Subscribe()
		defer sub.Close()
		opts.Snapshots = sub.C
	} else {
		c, stop := s.app.Feed.Subscribe()
		defer stop()
		opts.Snapshots = c
	}
	opts.Notices = nil
	opts.Operator = who.name()
	opts.NoColor = envSet(sess.Environ(), "NO_COLOR")
	switch {
	case who.role == RoleOperator && e != nil:
		opts.Commands, opts.Ack, opts.Unack, opts.Maintain, opts.EndMaintenance = e, e.Ack, e.Unack, e.Maintain, e.EndMaintenance
		opts.ReadOnly = ""
	case who.role == RoleOperator:
		opts.ReadOnly = "" // the feed's Ack, Unack and Remote, as App.UI has them
	default:
		opts.Commands, opts.Ack, opts.Unack, opts.Maintain, opts.EndMaintenance = nil, nil, nil, nil, nil
		opts.ReadOnly = ReadOnly
	}
	if opts.Notice == "" {
		opts.Notice = "logged in as " + who.name() + " (" + who.role.String() + ")"
	}

	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	in := &idleReader{r: sess}
	if t := s.opts.IdleTimeout; t > 0 {
		in.timer = time.AfterFunc(t, func() { cancel(errIdle) })
		defer in.timer.Stop()
		in.idle = t
	}
	popts := append(teassh.MakeOptions(sess), tea.WithInput(in), tea.WithoutSignalHandler())
	p := tea.NewProgram(ui.New(opts), popts...)

	_, windows, _ := sess.Pty()
	var wg sync.WaitGroup
	defer wg.Wait()
	watch := make(chan struct{})
	defer close(watch)
	wg.Go(func() { s.watch(sctx, sess, p, windows, watch) })
	_, err := p.Run()
	p.Kill()
	switch {
	case ctx.Err() != nil:
		if cause := context.Cause(ctx); !errors.Is(cause, context.Canceled) {
			return fmt.Errorf("%w (%v)", errStopping, cause) // "received SIGTERM"
		}
		return errStopping
	case sctx.Err() != nil:
		return context.Cause(sctx) // errIdle
	}
	_ = err // the viewer quit, or went away: nobody to tell
	return nil
}

// watch passes window changes to p and makes it quit when sctx ends (the
// server stops, the idle timeout) or the connection drops, until done.
func (s *Server) watch(sctx context.Context, sess ssh.Session, p *tea.Program, windows <-chan ssh.Window, done <-chan struct{}) {
	gone := sess.Context().Done()
	for {
		select {
		case <-done:
			return
		case w, ok := <-windows:
			if !ok {
				windows = nil
				continue
			}
			// Send waits for a busy program; it returns once p is killed.
			p.Send(tea.WindowSizeMsg{Width: max(w.Width, 1), Height: max(w.Height, 1)})
		case <-gone:
			p.Kill()
			return
		case <-sctx.Done():
			go p.Quit() // restores the viewer's terminal, then Run returns
			select {
			case <-done:
			case <-time.After(quitGrace):
				p.Kill() // the viewer stopped reading: its writes hang
				_ = sess.Close()
			}
			return
		}
	}
}

// idleReader is the session's input; each read puts the idle timeout off.
type idleReader struct {
	r     io.Reader
	timer *time.Timer
	idle  time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 && r.timer != nil {
		r.timer.Reset(r.idle)
	}
	return n, err
}

// envSet reports whether the environment sets key to something not empty
// (NO_COLOR's rule).
func envSet(env []string, key string) bool {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key && v != "" {
			return true
		}
	}
	return false
}
