package model

// Protocol limits on SNMP names, shared by the config check and the trap
// decoder (which reads them from anyone who can send UDP).
const (
	// MaxSNMPUser: a USM user name is an SnmpAdminString (SIZE(1..32)),
	// RFC 3414.
	MaxSNMPUser = 32
	// MaxSNMPCommunity: the protocol sets none; 255 octets is far beyond
	// any real community (net-snmp's own limit is 256).
	MaxSNMPCommunity = 255
)

// Defaults of the trap receiver's per-source rate limit.
const (
	DefaultTrapRate  = 20.0 // traps per second per source
	DefaultTrapBurst = 100  // traps a source may send at once
)

// Traps configures the SNMP trap receiver. It is off while Listen is "".
type Traps struct {
	// Listen is the UDP host:port to receive on, e.g. "0.0.0.0:162".
	Listen string `toml:"listen"`
	// Communities accepted on v1 and v2c traps and informs.
	Communities []Secret `toml:"communities"`
	// Users are the SNMPv3 users whose traps are accepted.
	Users []TrapUser `toml:"user"`
	// Rate and Burst bound what one source may send (a token bucket):
	// Rate traps per second on average, Burst at once.
	Rate  float64 `toml:"rate"`
	Burst int     `toml:"burst"`
}

// TrapUser is one SNMPv3 USM user. Protocol names are canonical after Load
// (SNMPAuthProtocols, SNMPPrivProtocols: "SHA-256", "AES-192").
type TrapUser struct {
	User         string `toml:"user"`
	AuthProtocol string `toml:"auth_protocol"`
	AuthPassword Secret `toml:"auth_password"`
	// PrivProtocol is "" for authNoPriv.
	PrivProtocol string `toml:"priv_protocol"`
	PrivPassword Secret `toml:"priv_password"`
}

// Enabled reports whether the receiver is to run.
func (t *Traps) Enabled() bool { return t.Listen != "" }

// applyDefaults fills the rate limit of an enabled receiver (a disabled
// one stays zero, so Encode leaves the section out).
func (t *Traps) applyDefaults() {
	if !t.Enabled() {
		return
	}
	if t.Rate <= 0 {
		t.Rate = DefaultTrapRate
	}
	if t.Burst <= 0 {
		t.Burst = DefaultTrapBurst
	}
}
