package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"noctop/model"
	"noctop/serve"
	"noctop/store"
	"noctop/ui"
)

// serveFlags configure `noctop serve`: the SSH side; the monitor's are
// the headless mode's.
type serveFlags struct {
	listen         string
	authorizedKeys string
	operatorKeys   string
	maxSessions    int
	idleTimeout    time.Duration
}

func newServeCmd(g *globalFlags) *cobra.Command {
	var f serveFlags
	var h headlessFlags
	var sf storeFlags
	var mf metricsFlags
	var shf shardFlags
	var vf viewFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the monitor once and serve the dashboard to every SSH client",
		Long: `serve runs the monitor (as --headless does: one log line per change on stderr)
and serves the dashboard over SSH: each client gets its own screen over the
same engine. Public keys only: --authorized-keys lists viewers, --operator-keys
operators (who may ack, open maintenance windows and recheck). The ed25519 host
key is made once in the state directory; its fingerprint is logged at start.
A session without a terminal (ssh HOST < /dev/null) gets the check table.
With --prom it runs no monitor and serves the estate view instead (noctop
view): operators ack as Alertmanager silences.`,
		Example: `  noctop serve --authorized-keys ~/.ssh/authorized_keys --operator-keys ops.keys
  ssh -p 2222 127.0.0.1       # the dashboard
  ssh -p 2222 127.0.0.1 check # the table, for scripts
  noctop serve --prom http://127.0.0.1:9090 --am http://127.0.0.1:9093 --operator-keys ops.keys`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if vf.prom != "" || vf.am != "" || vf.match != "" {
				return runServeView(cmd.Context(), cmd.ErrOrStderr(), f, sf, vf, h)
			}
			cfg, note, plan, err := shf.loadConfig(cmd, g.configPath)
			if err != nil {
				return err
			}
			h.plan = plan
			srv, err := listenSSH(cmd.Context(), cmd.ErrOrStderr(), f, sf, cfg)
			if err != nil {
				return exitError{code: 3}
			}
			defer srv.close()
			ms, err := openMonitorStore(cmd.Context(), cmd.ErrOrStderr(), sf, cfg)
			if err != nil {
				return exitError{code: 3}
			}
			defer ms.close()
			mx, err := listenMetrics(cmd.Context(), cmd.ErrOrStderr(), mf)
			if err != nil {
				return exitError{code: 3}
			}
			defer mx.close()
			h.store, h.metrics, h.ssh = ms, mx, srv
			return runHeadless(cmd.Context(), cmd.ErrOrStderr(), cfg, note, h)
		},
	}
	cmd.Flags().StringVar(&f.listen, "ssh-listen", serve.DefaultListen, "SSH address to serve the dashboard on")
	cmd.Flags().StringVar(&f.authorizedKeys, "authorized-keys", "", "authorized_keys file of the viewers (read-only)")
	cmd.Flags().StringVar(&f.operatorKeys, "operator-keys", "", "authorized_keys file of the operators (ack, maintenance, recheck)")
	cmd.Flags().IntVar(&f.maxSessions, "max-sessions", serve.DefaultMaxSessions, "sessions at once; one more is told so and closed")
	cmd.Flags().DurationVar(&f.idleTimeout, "idle-timeout", 0, "close a session after no key is pressed this long (0: never)")
	cmd.Flags().StringVar(&h.logFormat, "log-format", "text", "log format: text or json")
	sf.register(cmd)
	mf.register(cmd)
	shf.register(cmd)
	vf.register(cmd)
	return cmd
}

// sshServer is serve's bound SSH server; nil (the other modes) does
// nothing.
type sshServer struct {
	srv *serve.Server
	// hint is the file that tells a second noctop on the same database
	// where to attach (serveHintFile); removed by close.
	hint string
}

// serveHintFile, beside the database, holds a running serve's address and
// host key fingerprint: a dashboard started on the same database says to
// attach with ssh rather than start a second engine.
const serveHintFile = "serve.addr"

// listenSSH reads the key files and the host key (made the first time, in
// the database's directory) and binds --ssh-listen before the monitor
// starts (cfg nil: the estate view, which leaves no hint file). Errors
// are printed to w; the caller exits 3.
func listenSSH(ctx context.Context, w io.Writer, f serveFlags, sf storeFlags, cfg *model.Config) (*sshServer, error) {
	db, err := databasePath(sf.stateDir, cfg)
	if err == nil {
		var srv *serve.Server
		srv, err = serve.Listen(ctx, serve.Options{
			Listen:         f.listen,
			HostKey:        filepath.Join(filepath.Dir(db), serve.HostKeyFile),
			AuthorizedKeys: f.authorizedKeys,
			OperatorKeys:   f.operatorKeys,
			MaxSessions:    f.maxSessions,
			IdleTimeout:    f.idleTimeout,
		})
		if err == nil {
			x := &sshServer{srv: srv}
			if cfg == nil {
				return x, nil // the estate view holds no database: no hint
			}
			x.hint = filepath.Join(filepath.Dir(db), serveHintFile)
			line := srv.Addr().String() + " " + srv.Fingerprint() + "\n"
			if err := os.WriteFile(x.hint, []byte(line), 0o644); err != nil {
				x.hint = "" // only a hint: serve runs without it
			}
			return x, nil
		}
	}
	fmt.Fprintf(w, "noctop serve: %v\n", err)
	return nil, err
}

// serve serves m's dashboard until stop, which tells every viewer, closes
// the sessions and waits.
func (x *sshServer) serve(ctx context.Context, m *monitor, cfg *model.Config, note string, archive model.Archive, say func(string)) (stop func()) {
	if x == nil {
		return func() {}
	}
	icmp := string(m.set.ICMPMode())
	app := serve.App{
		Engine: m.engine,
		UI: ui.Options{
			Notice:     note,
			Archive:    archive,
			ConfigName: screenName(cfg, m.plan),
			ICMPMode:   icmp,
			Version:    version,
		},
		Table: func(w io.Writer, s *model.Snapshot, env []string) (int, error) {
			run := newCheckRun(cfg, s, slices.Values(s.Assets), icmp)
			return run.exitCode(), writeCheckTable(colorprofile.NewWriter(w, env), run)
		},
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := x.srv.Serve(ctx, app); err != nil {
			say("ssh: " + err.Error())
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// reloadKeys reads the key files again (SIGHUP); a bad file leaves the
// keys in force and is handed to say.
func (x *sshServer) reloadKeys(say func(string)) {
	if x == nil {
		return
	}
	if err := x.srv.ReloadKeys(); err != nil {
		say("SIGHUP: key files not reloaded, the earlier keys stay: " + err.Error())
	}
}

// logAttrs name the SSH address and host key fingerprint in the start
// line.
func (x *sshServer) logAttrs() []any {
	if x == nil {
		return nil
	}
	return []any{"ssh", x.srv.Addr().String(), "host_key", x.srv.Fingerprint()}
}

func (x *sshServer) close() {
	if x != nil {
		_ = x.srv.Close()
		if x.hint != "" {
			_ = os.Remove(x.hint)
		}
	}
}

// serveHint says, after a database-in-use error, how to attach to the
// noctop serve that holds it (nothing when none answers there).
func serveHint(ctx context.Context, w io.Writer, sf storeFlags, cfg *model.Config, err error) {
	db, perr := databasePath(sf.stateDir, cfg)
	if !errors.Is(err, store.ErrLocked) || perr != nil {
		return
	}
	data, rerr := os.ReadFile(filepath.Join(filepath.Dir(db), serveHintFile))
	if rerr != nil {
		return
	}
	addr, fp, _ := strings.Cut(strings.TrimSpace(string(data)), " ")
	host, port, serr := net.SplitHostPort(addr)
	if serr != nil {
		return
	}
	d := net.Dialer{Timeout: time.Second}
	c, derr := d.DialContext(ctx, "tcp", addr)
	if derr != nil {
		return // a serve that crashed left the file
	}
	_ = c.Close()
	fmt.Fprintf(w, "noctop: a noctop serve runs on this database: attach with `ssh -p %s %s` (host key %s) instead of starting a second engine\n", port, host, ui.Clean(fp))
}
