package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// writeViewerKey makes an ed25519 key for the harness's viewers and writes
// its authorized_keys line to path.
func writeViewerKey(path string) (ssh.Signer, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	// A comment names the key in serve's login lines.
	line := bytes.TrimSpace(ssh.MarshalAuthorizedKey(sshPub))
	if err := os.WriteFile(path, append(line, " noctop-bench\n"...), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// viewer is one dashboard session, read to the end by its own goroutine.
type viewer struct {
	client *ssh.Client
	sess   *ssh.Session
	read   atomic.Int64
}

// viewers are the harness's SSH sessions; close ends them all and waits
// for their readers.
type viewers struct {
	list []*viewer
	wg   sync.WaitGroup
	once sync.Once
}

// openViewers opens n sessions to addr, each with a 160x48 PTY and a
// shell (the dashboard), its output counted as it arrives.
func openViewers(ctx context.Context, addr string, signer ssh.Signer, n int) (*viewers, error) {
	vs := &viewers{}
	cfg := &ssh.ClientConfig{
		User: "bench",
		Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		// The server is the harness's own child on loopback, its host key
		// made in a fresh state directory: nothing to pin it against.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	}
	for i := range n {
		v, err := openViewer(ctx, addr, cfg)
		if err != nil {
			vs.close()
			return nil, fmt.Errorf("viewer %d of %d: %w", i+1, n, err)
		}
		out, err := v.sess.StdoutPipe()
		if err == nil {
			err = v.sess.Shell()
		}
		if err != nil {
			v.sess.Close()
			v.client.Close()
			vs.close()
			return nil, fmt.Errorf("viewer %d of %d: %w", i+1, n, err)
		}
		vs.list = append(vs.list, v)
		vs.wg.Go(func() {
			buf := make([]byte, 32*1024)
			for {
				k, err := out.Read(buf)
				v.read.Add(int64(k))
				if err != nil {
					return
				}
			}
		})
	}
	return vs, nil
}

func openViewer(ctx context.Context, addr string, cfg *ssh.ClientConfig) (*viewer, error) {
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	client := ssh.NewClient(c, chans, reqs)
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 48, 160, ssh.TerminalModes{}); err != nil {
		sess.Close()
		client.Close()
		return nil, err
	}
	return &viewer{client: client, sess: sess}, nil
}

func (vs *viewers) count() int {
	if vs == nil {
		return 0
	}
	return len(vs.list)
}

// bytes is what every session has read so far.
func (vs *viewers) bytes() int64 {
	if vs == nil {
		return 0
	}
	var n int64
	for _, v := range vs.list {
		n += v.read.Load()
	}
	return n
}

// errSilentViewer: a session got less than a first screen.
var errSilentViewer = errors.New("viewer read too little")

// minScreenBytes is less than any first draw of a 160x48 dashboard.
const minScreenBytes = 1024

// check fails when a session read less than a screen: it saw no dashboard.
func (vs *viewers) check() error {
	for i, v := range vs.list {
		if n := v.read.Load(); n < minScreenBytes {
			return fmt.Errorf("%w: session %d of %d read %d bytes, want %d or more", errSilentViewer, i+1, len(vs.list), n, minScreenBytes)
		}
	}
	return nil
}

func (vs *viewers) close() {
	vs.once.Do(func() {
		for _, v := range vs.list {
			v.sess.Close()
			v.client.Close()
		}
		vs.wg.Wait()
	})
}
