package snmpagent

import (
	"fmt"
	"math/bits"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DeviceSpec describes one simulated device. Zero fields take the
// defaults named on each; Options.Spec is the template for every device
// and Options.PerDevice may adjust it per device.
type DeviceSpec struct {
	Name     string // sysName; default "lab-sw-001", "lab-sw-002", ...
	Descr    string // sysDescr; default "noctop lab switch LS-48 <name>, firmware 1.0.0"
	ObjectID string // sysObjectID; default .1.3.6.1.4.1.8072.3.2.10
	Contact  string // sysContact; default "netops@lab.invalid"
	Location string // sysLocation; default "lab rack 1"
	// Community overrides Options.Community for this device.
	Community string

	Interfaces int // ifTable rows; default 8
	// NoIfXTable makes a 32-bit-only device: no ifXTable (no ifName, no HC
	// counters, no ifHighSpeed, no ifAlias).
	NoIfXTable bool
	// NoHostResources drops hrStorageTable and hrProcessorLoad.
	NoHostResources bool
	// NoProcessorLoad leaves hrProcessorLoad empty (hrStorageTable stays).
	NoProcessorLoad bool
	// ProcessorLoadAfter keeps hrProcessorLoad empty until the device has
	// been up this long, as net-snmp does for its first minute. 0: never empty.
	ProcessorLoadAfter time.Duration
	CPUs               int // hrProcessorLoad rows; default 2

	// Rate is the octets per second ifIndex 1 receives; ifIndex k receives
	// Rate*(4+(k-1)%4)/4 and sends half as much (InRate, OutRate). Default
	// 12,500,000 (100 Mbit/s).
	Rate uint64
	// Speed is every interface's ifSpeed in bit/s; default the smallest of
	// 1G, 10G, 40G, 100G, 400G at least twice the fastest interface's
	// received bits.
	Speed uint64
	// ErrorsPerMinute is the ifInErrors growth on ErrorIf; default 60.
	ErrorsPerMinute uint64
	// ErrorIf is the interface whose ifInErrors rises (default 2),
	// OperDownIf the one that is admin up but oper down from boot (default
	// Interfaces-1), AdminDownIf the one that is admin down (default
	// Interfaces). 0 takes the default, -1 means none; a default that does
	// not fit (fewer than 2, 3, 4 interfaces) is none.
	ErrorIf, OperDownIf, AdminDownIf int
	// BootedAgo is the uptime the device has when the agent starts.
	BootedAgo time.Duration

	// Standard MIBs a device serves besides system, IF-MIB and
	// HOST-RESOURCES (issue 15): UPS-MIB (RFC 1628), Printer-MIB (RFC 3805),
	// ENTITY-SENSOR-MIB, and an access point's wireless tables.
	UPS, Printer, Sensors, AccessPoint bool
	// Neighbors are the device's LLDP-MIB lldpRemTable rows; FDB its
	// BRIDGE-MIB dot1dTpFdbTable (learned MAC addresses by port).
	Neighbors []Neighbor
	FDB       []FDBEntry
}

// Neighbor is one LLDP neighbour seen on a local port.
type Neighbor struct {
	LocalPort                  int
	ChassisID, PortID, SysName string
}

// FDBEntry is one MAC address a bridge learned on a port.
type FDBEntry struct {
	MAC  string
	Port int
}

// Misbehave is a fault a device can be put in for bad-input tests.
type Misbehave int32

const (
	// MisbehaveNone answers correctly.
	MisbehaveNone Misbehave = iota
	// MisbehaveWrongTypes answers every Counter32, Counter64, Gauge32 and
	// TimeTicks value, and the profile MIBs' INTEGERs, as an OctetString
	// holding its decimal digits.
	MisbehaveWrongTypes
	// MisbehaveTruncated sends only the first half of each response.
	MisbehaveTruncated
	// MisbehaveGarbage answers each request with 64 bytes that are not BER.
	MisbehaveGarbage
	// MisbehaveNoSuch hides ifXTable (GET: noSuchObject; walks skip it) and
	// sysUpTime.0 (GET: noSuchInstance; walks skip it).
	MisbehaveNoSuch
	// MisbehaveEndOfMIB ends walks in the middle of the interface tables:
	// GETNEXT and GETBULK answer endOfMibView instead of any ifTable or
	// ifXTable row whose ifIndex is above Interfaces/2. GET is unaffected.
	MisbehaveEndOfMIB
	// MisbehaveLoop makes walks loop: GETNEXT and GETBULK answer the
	// column's first row (ifIndex 1) instead of any ifTable or ifXTable row
	// from ifIndex 3 on, an OID that does not increase.
	MisbehaveLoop
	// MisbehaveEcho answers every GETNEXT and GETBULK varbind that would
	// be an ifTable or ifXTable row with the very OID it was asked for
	// (the value is the row's): a walk that does not advance, from its
	// first request on.
	MisbehaveEcho
	// MisbehaveRepeat answers GETNEXT and GETBULK with the previous row
	// again instead of any ifTable or ifXTable row from ifIndex 3 on: the
	// same OID twice in the middle of a column.
	MisbehaveRepeat
)

func (m Misbehave) String() string {
	switch m {
	case MisbehaveNone:
		return "none"
	case MisbehaveWrongTypes:
		return "wrong-types"
	case MisbehaveTruncated:
		return "truncated"
	case MisbehaveGarbage:
		return "garbage"
	case MisbehaveNoSuch:
		return "nosuch"
	case MisbehaveEndOfMIB:
		return "end-of-mib"
	case MisbehaveLoop:
		return "loop"
	case MisbehaveEcho:
		return "echo"
	case MisbehaveRepeat:
		return "repeat"
	}
	return fmt.Sprintf("misbehave(%d)", int32(m))
}

// Device is one simulated device on its own loopback address. Its
// knobs are safe to call from any goroutine while it serves.
type Device struct {
	index     int // from 0, in the agent's address order
	addr      string
	conn      *net.UDPConn
	layout    *mibLayout
	spec      DeviceSpec
	community []byte
	clock     func() time.Time
	ifs       []ifStatic
	usm       *usmEngine

	silent    atomic.Bool
	misbehave atomic.Int32
	answered  atomic.Uint64
	dropped   atomic.Uint64

	mu sync.Mutex
	st devState // guarded by mu
}

// ifStatic is what never changes about an interface.
type ifStatic struct {
	descr, name, alias []byte
	mac                []byte
	inRate, outRate    uint64 // octets per second
	errPerMin          uint64
	speed              uint64 // bit/s
}

// devState is what the knobs change.
type devState struct {
	boot     time.Time
	boots    uint32 // snmpEngineBoots: 1 + reboots
	descr    []byte
	objectID objectID
	cpuLoad  int // -1: simulated
	charge   int
	ifs      []ifState
	prof     profileState // the profile MIBs' knobs (mib_profiles.go)
}

type ifState struct {
	alias       []byte // SetAlias's ifAlias; nil: ifStatic's
	admin, oper bool
	lastChange  time.Time
	active      time.Duration // oper-up time before upSince (since boot)
	upSince     time.Time
}

// objectID is an OBJECT IDENTIFIER value in both forms the encoders need.
type objectID struct {
	name    string
	content []byte
}

func newObjectID(s string) (objectID, error) {
	o, err := parseOID(s)
	if err != nil {
		return objectID{}, err
	}
	return objectID{name: o.String(), content: appendOIDContent(nil, o)}, nil
}

// fill applies the defaults to a spec for device number i (from 0).
func (s DeviceSpec) fill(i int) DeviceSpec {
	if s.Name == "" {
		s.Name = fmt.Sprintf("lab-sw-%03d", i+1)
	}
	if s.Descr == "" {
		s.Descr = "noctop lab switch LS-48 " + s.Name + ", firmware 1.0.0"
	}
	if s.ObjectID == "" {
		s.ObjectID = defaultSysObjectID
	}
	if s.Contact == "" {
		s.Contact = "netops@lab.invalid"
	}
	if s.Location == "" {
		s.Location = "lab rack 1"
	}
	if s.Interfaces == 0 {
		s.Interfaces = 8
	}
	if s.CPUs == 0 {
		s.CPUs = 2
	}
	if s.Rate == 0 {
		s.Rate = 12_500_000
	}
	if s.ErrorsPerMinute == 0 {
		s.ErrorsPerMinute = 60
	}
	def := func(v *int, d, need int) {
		if *v == 0 {
			*v = d
			if s.Interfaces < need {
				*v = -1
			}
		}
		if *v > s.Interfaces {
			*v = -1
		}
	}
	def(&s.ErrorIf, 2, 2)
	def(&s.OperDownIf, s.Interfaces-1, 3)
	def(&s.AdminDownIf, s.Interfaces, 4)
	if s.Speed == 0 {
		top := 8 * s.Rate * 7 / 4 * 2
		s.Speed = 400_000_000_000
		for _, sp := range []uint64{1e9, 1e10, 4e10, 1e11} {
			if sp >= top {
				s.Speed = sp
				break
			}
		}
	}
	return s
}

func (s DeviceSpec) shape() shape {
	cpus := s.CPUs
	if s.NoProcessorLoad {
		cpus = 0
	}
	return shape{ifaces: s.Interfaces, ifX: !s.NoIfXTable, hr: !s.NoHostResources, cpus: cpus, lldp: s.lldpKey(), fdb: s.fdbKey(),
		prof: profileShape{ups: s.UPS, printer: s.Printer, sensors: s.Sensors, ap: s.AccessPoint}}
}

func (s DeviceSpec) validate() error {
	if s.Interfaces < 0 || s.Interfaces > 100_000 {
		return fmt.Errorf("interfaces %d: want 0..100000", s.Interfaces)
	}
	if s.CPUs < 0 || s.CPUs > 1024 {
		return fmt.Errorf("cpus %d: want 0..1024", s.CPUs)
	}
	if len(s.Name) > 255 || len(s.Descr) > 255 {
		return fmt.Errorf("name or descr longer than 255 bytes")
	}
	if err := s.validateNeighbors(); err != nil {
		return err
	}
	return s.validateFDB()
}

// newDevice builds a device from a filled spec; index numbers its MAC
// addresses and engine ID.
func newDevice(index int, spec DeviceSpec, community string, layout *mibLayout, clock func() time.Time) (*Device, error) {
	oidv, err := newObjectID(spec.ObjectID)
	if err != nil {
		return nil, fmt.Errorf("device %s: sysObjectID: %w", spec.Name, err)
	}
	if spec.Community != "" {
		community = spec.Community
	}
	d := &Device{index: index, spec: spec, layout: layout, community: []byte(community), clock: clock}
	now := clock()
	boot := now.Add(-spec.BootedAgo)
	d.st = devState{boot: boot, boots: 1, descr: []byte(spec.Descr), objectID: oidv, cpuLoad: -1, charge: 100, prof: newProfileState()}
	prefix, long := "Gi", "GigabitEthernet"
	switch {
	case spec.Speed >= 400e9:
		prefix, long = "FH", "FourHundredGigE"
	case spec.Speed >= 100e9:
		prefix, long = "Hu", "HundredGigE"
	case spec.Speed >= 40e9:
		prefix, long = "Fo", "FortyGigabitEthernet"
	case spec.Speed >= 10e9:
		prefix, long = "Te", "TenGigabitEthernet"
	}
	for r := range spec.Interfaces {
		k := r + 1
		in := spec.Rate * uint64(4+r%4) / 4
		st := ifStatic{
			descr:   fmt.Appendf(nil, "%s1/0/%d", long, k),
			name:    fmt.Appendf(nil, "%s1/0/%d", prefix, k),
			alias:   fmt.Appendf(nil, "%s port %d", spec.Name, k),
			mac:     interfaceMAC(index, k),
			inRate:  in,
			outRate: in / 2,
			speed:   spec.Speed,
		}
		s := ifState{admin: true, oper: true, lastChange: boot, upSince: boot}
		switch k {
		case spec.ErrorIf:
			st.errPerMin = spec.ErrorsPerMinute
			st.alias = fmt.Appendf(nil, "%s port %d (CRC errors)", spec.Name, k)
		case spec.OperDownIf:
			s.oper = false
			st.alias = fmt.Appendf(nil, "%s port %d (no link)", spec.Name, k)
		case spec.AdminDownIf:
			s.admin, s.oper = false, false
			st.alias = fmt.Appendf(nil, "%s port %d (shut down)", spec.Name, k)
		}
		d.ifs = append(d.ifs, st)
		d.st.ifs = append(d.st.ifs, s)
	}
	return d, nil
}

// traffic is how long interface r has been oper up since boot, at now.
func (st *devState) traffic(r int, now time.Time) time.Duration {
	s := &st.ifs[r]
	t := s.active
	if s.oper {
		t += now.Sub(s.upSince)
	}
	return max(t, 0)
}

// grown is rate units per second over d, exactly (128-bit intermediate),
// wrapping at 2^64 like a Counter64.
func grown(rate uint64, d time.Duration) uint64 {
	hi, lo := bits.Mul64(rate, uint64(d))
	q, _ := bits.Div64(hi%1e9, lo, 1e9)
	return q
}

// ticks is d in TimeTicks (centiseconds), wrapping at 2^32.
func ticks(d time.Duration) uint64 {
	return uint64(max(d, 0)/(10*time.Millisecond)) & 0xffffffff
}
