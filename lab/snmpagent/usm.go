package snmpagent

import (
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/gosnmp/gosnmp"
)

// User is an SNMPv3 USM user every device knows. Passwords need 8 or
// more characters (RFC 3414), as net-snmp insists.
type User struct {
	Name         string
	AuthProtocol gosnmp.SnmpV3AuthProtocol // NoAuth (or 0): noAuthNoPriv
	AuthPassword string
	PrivProtocol gosnmp.SnmpV3PrivProtocol // NoPriv (or 0): no privacy
	PrivPassword string
}

// USM statistics OIDs (RFC 3414), the Reports a device sends.
const (
	OIDUsmStatsUnsupportedSecLevels = ".1.3.6.1.6.3.15.1.1.1.0"
	OIDUsmStatsNotInTimeWindows     = ".1.3.6.1.6.3.15.1.1.2.0"
	OIDUsmStatsUnknownUserNames     = ".1.3.6.1.6.3.15.1.1.3.0"
	OIDUsmStatsUnknownEngineIDs     = ".1.3.6.1.6.3.15.1.1.4.0"
	OIDUsmStatsWrongDigests         = ".1.3.6.1.6.3.15.1.1.5.0"
)

// timeWindow is RFC 3414's 150 s allowance on msgAuthoritativeEngineTime.
const timeWindow = 150

// usmEngine is one device's SNMPv3 side: its engine ID, its users with keys
// localized to that engine ID, and its USM statistics.
type usmEngine struct {
	engineID string
	users    map[string]*usmUser
	salt     atomic.Uint64

	unsupportedSecLevels, notInTimeWindows, unknownUserNames,
	unknownEngineIDs, wrongDigests, decryptionErrors atomic.Uint32
}

// usmUser holds a user's localized keys in gosnmp's form; the template is
// read-only once built.
type usmUser struct {
	level gosnmp.SnmpV3MsgFlags // the highest level the user can use
	sp    *gosnmp.UsmSecurityParameters
}

func newUSM(engineID string, users []User) (*usmEngine, error) {
	u := &usmEngine{engineID: engineID, users: make(map[string]*usmUser, len(users))}
	var seed [8]byte
	_, _ = crand.Read(seed[:])
	u.salt.Store(binary.BigEndian.Uint64(seed[:]))
	for _, us := range users {
		auth, priv := us.AuthProtocol, us.PrivProtocol
		if auth == 0 {
			auth = gosnmp.NoAuth
		}
		if priv == 0 {
			priv = gosnmp.NoPriv
		}
		level := gosnmp.NoAuthNoPriv
		if auth > gosnmp.NoAuth {
			level = gosnmp.AuthNoPriv
			if priv > gosnmp.NoPriv {
				level = gosnmp.AuthPriv
			}
		} else if priv > gosnmp.NoPriv {
			return nil, fmt.Errorf("user %q: privacy needs an authentication protocol", us.Name)
		}
		if (auth > gosnmp.NoAuth && len(us.AuthPassword) < 8) || (priv > gosnmp.NoPriv && len(us.PrivPassword) < 8) {
			return nil, fmt.Errorf("user %q: passwords need 8 or more characters", us.Name)
		}
		sp := &gosnmp.UsmSecurityParameters{
			AuthoritativeEngineID:    engineID,
			UserName:                 us.Name,
			AuthenticationProtocol:   auth,
			PrivacyProtocol:          priv,
			AuthenticationPassphrase: us.AuthPassword,
			PrivacyPassphrase:        us.PrivPassword,
		}
		if err := sp.InitSecurityKeys(); err != nil {
			return nil, fmt.Errorf("user %q: %w", us.Name, err)
		}
		u.users[us.Name] = &usmUser{level: level, sp: sp}
	}
	return u, nil
}

// v3msg is what the agent reads of an SNMPv3 message before it knows the
// user's keys.
type v3msg struct {
	msgID    uint32
	maxSize  int
	flags    gosnmp.SnmpV3MsgFlags
	secModel int64
	engineID string
	boots    int64
	time     int64
	user     string
	authOff  int // offset of msgAuthenticationParameters' content
	authLen  int
	plain    bool // the scoped PDU is in clear: the fields below are set
	ctxName  string
	pduType  byte
	reqID    uint32
}

// parseV3 reads an SNMPv3 message's header, security parameters and (when
// in clear) the start of its scoped PDU.
func parseV3(msg []byte) (*v3msg, error) {
	top := berReader{b: msg}
	r, err := top.enter(tagSequence)
	if err != nil || !top.done() {
		return nil, errBER
	}
	if v, err := r.readInt(); err != nil || v != 3 {
		return nil, errBER
	}
	m := &v3msg{}
	if err := m.readHeader(&r); err != nil {
		return nil, err
	}
	if err := m.readUSM(&r); err != nil {
		return nil, err
	}
	if r.pos < len(r.b) && r.b[r.pos] == tagSequence {
		if err := m.readScopedPDU(&r); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readHeader reads msgGlobalData: msgID, msgMaxSize, msgFlags and
// msgSecurityModel.
func (m *v3msg) readHeader(r *berReader) error {
	h, err := r.enter(tagSequence)
	if err != nil {
		return err
	}
	id, err := h.readInt()
	if err != nil {
		return err
	}
	size, err := h.readInt()
	if err != nil {
		return err
	}
	flags, _, err := h.expect(tagOctetStr)
	if err != nil || len(flags) != 1 {
		return errBER
	}
	if m.secModel, err = h.readInt(); err != nil {
		return err
	}
	m.msgID, m.maxSize, m.flags = uint32(id), int(size), gosnmp.SnmpV3MsgFlags(flags[0])
	return nil
}

// readUSM reads msgSecurityParameters (UsmSecurityParameters, RFC 3414
// 2.4), noting where the authentication parameters are to check them.
func (m *v3msg) readUSM(r *berReader) error {
	sp, err := r.enter(tagOctetStr)
	if err != nil {
		return err
	}
	u, err := sp.enter(tagSequence)
	if err != nil {
		return err
	}
	eng, _, err := u.expect(tagOctetStr)
	if err != nil {
		return err
	}
	if m.boots, err = u.readInt(); err != nil {
		return err
	}
	if m.time, err = u.readInt(); err != nil {
		return err
	}
	user, _, err := u.expect(tagOctetStr)
	if err != nil {
		return err
	}
	auth, authOff, err := u.expect(tagOctetStr)
	if err != nil {
		return err
	}
	if _, _, err = u.expect(tagOctetStr); err != nil {
		return err
	}
	m.engineID, m.user, m.authOff, m.authLen = string(eng), string(user), authOff, len(auth)
	return nil
}

// readScopedPDU reads the start of a scoped PDU in clear: its context name,
// PDU type and request ID.
func (m *v3msg) readScopedPDU(r *berReader) error {
	s, err := r.enter(tagSequence)
	if err != nil {
		return err
	}
	if _, _, err = s.expect(tagOctetStr); err != nil {
		return err
	}
	name, _, err := s.expect(tagOctetStr)
	if err != nil {
		return err
	}
	if s.pos >= len(s.b) {
		return errBER
	}
	m.pduType = s.b[s.pos]
	p, err := s.enter(m.pduType)
	if err != nil {
		return err
	}
	reqID, err := p.readInt()
	if err != nil {
		return err
	}
	m.plain, m.ctxName, m.reqID = true, string(name), uint32(reqID)
	return nil
}

// handleV3 answers an SNMPv3 message: a Report when USM refuses it, a
// Response when it passes; nil drops it.
func (d *Device) handleV3(msg []byte, sc *scratch) []byte {
	m, err := parseV3(msg)
	if err != nil || m.secModel != int64(gosnmp.UserSecurityModel) {
		return nil
	}
	level := m.flags & gosnmp.AuthPriv
	if level == 2 { // privacy without authentication is invalid (RFC 3412 7.2)
		return nil
	}
	boots, etime := d.engineClock()
	user, refusal := d.admit(msg, m, level, boots, etime)
	if user == nil {
		return refusal
	}
	return d.respondV3(msg, m, user, level, boots, etime, sc)
}

// admit runs USM's incoming checks (RFC 3414 3.2, in its order) and returns
// the message's user, or nil and the Report that refuses it (nil too when
// the message is not reportable).
func (d *Device) admit(msg []byte, m *v3msg, level gosnmp.SnmpV3MsgFlags, boots, etime uint32) (*usmUser, []byte) {
	u := d.usm
	report := func(oid string, n *atomic.Uint32, auth *usmUser) []byte {
		c := n.Add(1)
		if m.flags&gosnmp.Reportable == 0 {
			return nil
		}
		return d.report(m, oid, c, auth, boots, etime)
	}
	if m.engineID != u.engineID {
		return nil, report(OIDUsmStatsUnknownEngineIDs, &u.unknownEngineIDs, nil)
	}
	user, ok := u.users[m.user]
	if !ok {
		return nil, report(OIDUsmStatsUnknownUserNames, &u.unknownUserNames, nil)
	}
	if level > user.level {
		return nil, report(OIDUsmStatsUnsupportedSecLevels, &u.unsupportedSecLevels, nil)
	}
	if level&gosnmp.AuthNoPriv != 0 {
		if !authentic(msg, m, user.sp) {
			return nil, report(OIDUsmStatsWrongDigests, &u.wrongDigests, nil)
		}
		if m.boots != int64(boots) || m.time < int64(etime)-timeWindow || m.time > int64(etime)+timeWindow {
			return nil, report(OIDUsmStatsNotInTimeWindows, &u.notInTimeWindows, user)
		}
	}
	return user, nil
}

// respondV3 decrypts and answers the request of an admitted message; nil
// drops it.
func (d *Device) respondV3(msg []byte, m *v3msg, user *usmUser, level gosnmp.SnmpV3MsgFlags, boots, etime uint32, sc *scratch) []byte {
	g := gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: level, SecurityParameters: user.sp.Copy()}
	pkt, err := decodeGosnmp(&g, msg)
	if err != nil {
		if level == gosnmp.AuthPriv {
			// A wrong privacy password decrypts to garbage; net-snmp drops
			// those without a Report, and so does the agent.
			d.usm.decryptionErrors.Add(1)
		}
		return nil
	}
	rq, ok := newRequest(pkt)
	if !ok {
		return nil
	}
	var vbs []vb
	var es, ei int
	if level < user.level {
		// VACM, as net-snmp's "rouser NAME priv": a user is served only at
		// its own level; below it the answer is authorizationError.
		vbs, es = echo(sc.vbs, len(rq.oids)), errAuthz
	} else {
		limit := min(max(m.maxSize, 484), maxDatagram) - 160 - 2*len(d.usm.engineID) - len(m.user) - len(pkt.ContextName)
		vbs, es, ei = d.resolve(rq, limit, sc.vbs)
	}
	sc.vbs = vbs[:0]
	resp := &gosnmp.SnmpPacket{
		Version:            gosnmp.Version3,
		MsgFlags:           level,
		SecurityModel:      gosnmp.UserSecurityModel,
		MsgID:              m.msgID,
		MsgMaxSize:         maxDatagram,
		SecurityParameters: d.responseSP(m, user, level, boots, etime),
		ContextEngineID:    pkt.ContextEngineID,
		ContextName:        pkt.ContextName,
		PDUType:            gosnmp.GetResponse,
		RequestID:          pkt.RequestID,
		Error:              gosnmp.SNMPError(es),
		ErrorIndex:         uint8(min(ei, 255)),
		Variables:          pdus(vbs, rq.names),
	}
	out, err := resp.MarshalMsg()
	if err != nil {
		return nil
	}
	return out
}

// engineClock is snmpEngineBoots and snmpEngineTime (seconds since the
// last boot).
func (d *Device) engineClock() (boots, secs uint32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	up := max(d.clock().Sub(d.st.boot), 0)
	return d.st.boots, uint32(min(up/time.Second, 1<<31-1))
}

// authentic checks the message's HMAC (RFC 3414 6.3.2, 7.3.2; RFC 7860)
// with the user's localized key. It zeroes the MAC in msg, as gosnmp's
// decoder expects to find it.
func authentic(msg []byte, m *v3msg, sp *gosnmp.UsmSecurityParameters) bool {
	h := sp.AuthenticationProtocol.HashType()
	n := macLen(sp.AuthenticationProtocol)
	if n == 0 || m.authLen != n || !h.Available() {
		return false
	}
	got := make([]byte, n)
	copy(got, msg[m.authOff:m.authOff+n])
	clear(msg[m.authOff : m.authOff+n])
	mac := hmac.New(h.New, sp.SecretKey)
	mac.Write(msg)
	return subtle.ConstantTimeCompare(mac.Sum(nil)[:n], got) == 1
}

// macLen is the truncated HMAC length of an authentication protocol.
func macLen(p gosnmp.SnmpV3AuthProtocol) int {
	switch p {
	case gosnmp.MD5, gosnmp.SHA:
		return 12
	case gosnmp.SHA224:
		return 16
	case gosnmp.SHA256:
		return 24
	case gosnmp.SHA384:
		return 32
	case gosnmp.SHA512:
		return 48
	}
	return 0
}

// responseSP is the security parameters of a response to user: the
// device's engine, the user's keys and a fresh salt.
func (d *Device) responseSP(m *v3msg, user *usmUser, level gosnmp.SnmpV3MsgFlags, boots, etime uint32) *gosnmp.UsmSecurityParameters {
	sp := &gosnmp.UsmSecurityParameters{
		AuthoritativeEngineID:    d.usm.engineID,
		AuthoritativeEngineBoots: boots,
		AuthoritativeEngineTime:  etime,
		UserName:                 m.user,
		AuthenticationProtocol:   user.sp.AuthenticationProtocol,
		PrivacyProtocol:          user.sp.PrivacyProtocol,
		SecretKey:                user.sp.SecretKey,
		PrivacyKey:               user.sp.PrivacyKey,
	}
	if level == gosnmp.AuthPriv {
		salt := make([]byte, 8)
		s := d.usm.salt.Add(1)
		if user.sp.PrivacyProtocol == gosnmp.DES {
			// RFC 3414 8.1.1.1: engine boots, then a local counter.
			s = uint64(boots)<<32 | s&0xffffffff
		}
		binary.BigEndian.PutUint64(salt, s)
		sp.PrivacyParameters = salt
	}
	return sp
}

// report builds a USM Report. Reports go unauthenticated (as net-snmp
// sends them), except notInTimeWindow, which RFC 3414 3.2.7 authenticates
// so that the client can trust the time it carries.
func (d *Device) report(m *v3msg, oid string, count uint32, auth *usmUser, boots, etime uint32) []byte {
	sp := &gosnmp.UsmSecurityParameters{
		AuthoritativeEngineID:    d.usm.engineID,
		AuthoritativeEngineBoots: boots,
		AuthoritativeEngineTime:  etime,
		UserName:                 m.user,
	}
	flags := gosnmp.NoAuthNoPriv
	if auth != nil {
		flags = gosnmp.AuthNoPriv
		sp.AuthenticationProtocol = auth.sp.AuthenticationProtocol
		sp.SecretKey = auth.sp.SecretKey
	}
	pkt := &gosnmp.SnmpPacket{
		Version:            gosnmp.Version3,
		MsgFlags:           flags,
		SecurityModel:      gosnmp.UserSecurityModel,
		MsgID:              m.msgID,
		MsgMaxSize:         maxDatagram,
		SecurityParameters: sp,
		ContextEngineID:    d.usm.engineID,
		ContextName:        m.ctxName,
		PDUType:            gosnmp.Report,
		RequestID:          m.reqID, // 0 when the request was encrypted
		Variables:          []gosnmp.SnmpPDU{{Name: oid, Type: gosnmp.Counter32, Value: count}},
	}
	out, err := pkt.MarshalMsg()
	if err != nil {
		return nil
	}
	return out
}

// engineIDFor makes a device's snmpEngineID (RFC 3411 format 4, text,
// under net-snmp's enterprise number), unique per device index.
func engineIDFor(index int, name string) string {
	id := []byte{0x80, 0x00, 0x1f, 0x88, 0x04}
	text := fmt.Sprintf("%d-%s", index+1, name)
	if len(text) > 27 {
		text = text[:27]
	}
	return string(append(id, text...))
}
