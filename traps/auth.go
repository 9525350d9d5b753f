package traps

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/usm"
)

// auth decides which messages are authentic and decodes them. It is used by
// the receiver's loop goroutine only: gosnmp's decoders are not shared.
type auth struct {
	communities [][]byte
	// users maps a v3 user name to whether any of its entries has privacy.
	users map[string]userInfo
	plain *gosnmp.GoSNMP // v1 and v2c
	v3    *gosnmp.GoSNMP // v3, with a table of every user's credentials
}

type userInfo struct{ priv, noPriv bool }

// rejection is why a message was dropped: a short reason for operators
// ("wrong community") and whether it failed authentication (else it was
// malformed or not a trap). A reason holds at most model.MaxNetText bytes
// (and Clip's suffix): it may quote what the sender wrote, and each source
// keeps a few of them until they are reported.
type rejection struct {
	reason string
	auth   bool
}

func (r *rejection) Error() string { return r.reason }

func authFailed(format string, args ...any) *rejection {
	return &rejection{reason: model.Clip(fmt.Sprintf(format, args...), model.MaxNetText), auth: true}
}

func malformed(format string, args ...any) *rejection {
	return &rejection{reason: model.Clip(fmt.Sprintf(format, args...), model.MaxNetText)}
}

func newAuth(t *model.Traps) (*auth, error) {
	a := &auth{
		users: map[string]userInfo{},
		plain: &gosnmp.GoSNMP{Version: gosnmp.Version2c},
	}
	for i, c := range t.Communities {
		// readHeader refuses longer ones, so such a community could
		// never match: say so now rather than drop every trap.
		if len(c.Value()) > maxCommunity {
			return nil, fmt.Errorf("trap community %d: longer than %d octets: %w", i+1, maxCommunity, model.ErrInvalid)
		}
		a.communities = append(a.communities, []byte(c.Value()))
	}
	if len(t.Users) == 0 {
		return a, nil
	}
	table := gosnmp.NewSnmpV3SecurityParametersTable(gosnmp.NewLogger(nil))
	for _, u := range t.Users {
		if len(u.User) > maxUser {
			return nil, fmt.Errorf("trap user %q: longer than %d octets, which USM does not allow (RFC 3414): %w", u.User, maxUser, model.ErrInvalid)
		}
		ap, err := usm.Auth(u.AuthProtocol)
		if err == nil && ap == gosnmp.NoAuth {
			err = fmt.Errorf("no auth_protocol (unauthenticated v3 traps are not accepted): %w", model.ErrInvalid)
		}
		if err != nil {
			return nil, fmt.Errorf("trap user %q: %w", u.User, err)
		}
		// AES-192 and AES-256 are tried with both key extensions, as two
		// entries of the same user.
		privs, err := usm.PrivReceived(u.PrivProtocol)
		if err != nil {
			return nil, fmt.Errorf("trap user %q: %w", u.User, err)
		}
		info := a.users[u.User]
		for _, pp := range privs {
			sp := &gosnmp.UsmSecurityParameters{
				UserName:                 u.User,
				AuthenticationProtocol:   ap,
				AuthenticationPassphrase: u.AuthPassword.Value(),
				PrivacyProtocol:          pp,
				PrivacyPassphrase:        u.PrivPassword.Value(),
			}
			if err := table.Add(u.User, sp); err != nil {
				return nil, fmt.Errorf("trap user %q: %w", u.User, err)
			}
		}
		if u.PrivProtocol != "" {
			info.priv = true
		} else {
			info.noPriv = true
		}
		a.users[u.User] = info
	}
	a.v3 = &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel}
	a.v3.SetTrapSecurityParametersTable(table)
	return a, nil
}

// decode authenticates and decodes one message. msg is modified (v3
// authentication blanks the digest in place). The error is a *rejection.
func (a *auth) decode(msg []byte) (p *gosnmp.SnmpPacket, err error) {
	// The decoder reads bytes anyone may send; a panic in it must cost one
	// datagram, not the process.
	defer func() {
		if x := recover(); x != nil {
			p, err = nil, malformed("undecodable message (decoder panic: %v)", x)
		}
	}()
	h, err := readHeader(msg)
	switch {
	case errors.Is(err, errLongCommunity):
		return nil, authFailed("wrong community (longer than %d octets)", maxCommunity)
	case err != nil:
		return nil, malformed("%v", err)
	}
	switch h.version {
	case 0, 1:
		// The community is checked before decoding: a storm with a wrong
		// one costs a header read, not a decode.
		if !a.community(h.community) {
			return nil, authFailed("wrong community")
		}
		if p, err = a.plain.UnmarshalTrap(msg, false); err != nil {
			return nil, malformed("undecodable v%s message", versionName(h.version))
		}
	case 3:
		if p, err = a.decodeV3(h, msg); err != nil {
			return nil, err
		}
	default:
		return nil, malformed("unknown SNMP version %d", h.version)
	}
	switch p.PDUType {
	case gosnmp.Trap, gosnmp.SNMPv2Trap:
	case gosnmp.InformRequest:
		if p.Version == gosnmp.Version3 {
			return nil, malformed("v3 informs are not supported (send v3 traps)")
		}
	default:
		return nil, malformed("not a trap: %v", p.PDUType)
	}
	return p, nil
}

func (a *auth) decodeV3(h header, msg []byte) (*gosnmp.SnmpPacket, error) {
	info, known := a.users[h.user]
	switch {
	case h.secModel != usmModel:
		return nil, malformed("v3 security model %d is not USM", h.secModel)
	case h.user == "" && h.engineID == "" && h.flags&flagReportable != 0:
		return nil, malformed("v3 engine discovery: v3 informs are not supported (send v3 traps)")
	case !known:
		return nil, authFailed("unknown v3 user %q", h.user)
	case h.flags&flagAuth == 0:
		return nil, authFailed("unauthenticated v3 trap (noAuthNoPriv) for user %q", h.user)
	case h.flags&flagPriv != 0 && !info.priv:
		return nil, authFailed("encrypted v3 trap for user %q, which has no priv_protocol", h.user)
	case h.flags&flagPriv == 0 && !info.noPriv:
		return nil, authFailed("unencrypted v3 trap for user %q, which requires priv_protocol", h.user)
	}
	// gosnmp localises the user's keys to the engine ID the trap names
	// (the sender is authoritative for traps) and does not check
	// engineBoots/engineTime, so a captured trap could be replayed: it
	// would repeat an event, never change a status.
	p, err := a.v3.UnmarshalTrap(msg, true)
	if err == nil {
		return p, nil
	}
	// gosnmp tries each entry of the user and returns the last error; its
	// digest errors say "not authentic", or name the MAC length when the
	// protocol differs.
	if s := err.Error(); strings.Contains(s, "not authentic") || strings.Contains(s, "msgAuthenticationParameters length") {
		return nil, authFailed("wrong auth password or protocol for v3 user %q", h.user)
	}
	if h.flags&flagPriv != 0 {
		return nil, authFailed("cannot decrypt v3 trap for user %q (wrong priv password or protocol?)", h.user)
	}
	return nil, malformed("undecodable v3 message for user %q", h.user)
}

// community compares in constant time against every configured community.
func (a *auth) community(c []byte) bool {
	ok := 0
	for _, want := range a.communities {
		ok |= subtle.ConstantTimeCompare(c, want)
	}
	return ok == 1
}

func versionName(v int) string {
	switch v {
	case 0:
		return "1"
	case 1:
		return "2c"
	}
	return fmt.Sprint(v)
}
