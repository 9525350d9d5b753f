package serve

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Role is what a key may do.
type Role int

const (
	// RoleViewer watches: every screen, no command to the engine.
	RoleViewer Role = iota
	// RoleOperator may also ack, unack, open and end maintenance, recheck.
	RoleOperator
)

func (r Role) String() string {
	if r == RoleOperator {
		return "operator"
	}
	return "viewer"
}

// viewer is an authorized key: its role and who it names.
type viewer struct {
	role        Role
	comment     string // the key file's comment, "" when none
	fingerprint string // SHA256:...
}

// name is who acts in the engine's events: the key's comment, else its
// fingerprint.
func (v viewer) name() string {
	if v.comment != "" {
		return v.comment
	}
	return v.fingerprint
}

// keyring maps a public key's wire form to its viewer.
type keyring map[string]viewer

// ErrKeyFile is wrapped by the errors of an authorized keys file.
var ErrKeyFile = errors.New("bad authorized keys file")

// load reads an authorized_keys file (OpenSSH's format; options such as
// from= are not honoured and so refused) and gives its keys role. A key
// in both files keeps the higher role.
func (kr keyring) load(path string, role Role) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return fmt.Errorf("%s:%d: %w: %w", path, n, ErrKeyFile, err)
		}
		if len(options) > 0 {
			return fmt.Errorf("%s:%d: %w: options (%s) are not supported: list the bare key", path, n, ErrKeyFile, strings.Join(options, ","))
		}
		id := string(key.Marshal())
		if old, ok := kr[id]; ok && old.role > role {
			continue
		}
		kr[id] = viewer{role: role, comment: strings.TrimSpace(comment), fingerprint: gossh.FingerprintSHA256(key)}
	}
	return sc.Err()
}

// HostKeyFile is the host key's name in the state directory.
const HostKeyFile = "ssh_host_ed25519_key"

// ErrHostKey is wrapped by the errors of the host key file.
var ErrHostKey = errors.New("unusable host key")

// hostKey reads the ed25519 host key at path, generating it (0600) the
// first time: clients remember it, so it must survive restarts.
func hostKey(path string) (gossh.Signer, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = newHostKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("host key %s: %w: mode %o lets others read it (chmod 600)", path, ErrHostKey, fi.Mode().Perm())
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w: %w", path, ErrHostKey, err)
	}
	return signer, nil
}

// newHostKey writes a new ed25519 key at path; O_EXCL, so two servers
// starting at once cannot both write one.
func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "noctop serve host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path) // the other one won
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return data, nil
}
