package snmpagent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// ErrNotLoopback is returned by Start when an address it would bind is
// outside 127.0.0.0/8.
var ErrNotLoopback = errors.New("address outside 127.0.0.0/8")

// Options configures Start.
type Options struct {
	Devices int // default 1
	// FirstAddr is the first device's IPv4 address (default 127.0.1.1); the
	// next devices take the following addresses, skipping those ending in
	// .0 and .255 (127.0.1.254 is followed by 127.0.2.1). Every address must
	// be in 127.0.0.0/8 (on Linux all of it is local).
	FirstAddr string
	Port      int    // UDP port on every address; 0: a free port per address
	Community string // v1/v2c community; default "public"
	// Users are the SNMPv3 users every device knows (none: v3 requests get
	// usmStatsUnknownUserNames Reports).
	Users []User
	// Spec is every device's template; PerDevice, if set, adjusts it for
	// device i (from 0) before the defaults are filled in.
	Spec      DeviceSpec
	PerDevice func(i int, spec *DeviceSpec)
	// Clock replaces time.Now for every computed value (uptime, counters,
	// engine time): tests move it to see counters grow and wrap.
	Clock func() time.Time
}

// Agent is a running set of simulated SNMP devices, one UDP socket per
// device, each on its own loopback address.
type Agent struct {
	devices []*Device
	byAddr  map[string]*Device
	pool    sync.Pool
	wg      sync.WaitGroup
	once    sync.Once
	stop    func() bool
}

// Start binds every device and serves until ctx is done or Close is
// called. Devices of the same shape (interfaces, tables present, CPUs)
// share one sorted OID layout.
func Start(ctx context.Context, opts Options) (*Agent, error) {
	if opts.Devices <= 0 {
		opts.Devices = 1
	}
	if opts.FirstAddr == "" {
		opts.FirstAddr = "127.0.1.1"
	}
	if opts.Community == "" {
		opts.Community = "public"
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("snmpagent: port %d out of range", opts.Port)
	}
	addrs, err := loopbackRange(opts.FirstAddr, opts.Devices)
	if err != nil {
		return nil, err
	}
	a := &Agent{byAddr: make(map[string]*Device, 2*opts.Devices)}
	a.pool.New = func() any { return &scratch{} }
	layouts := map[shape]*mibLayout{}
	for i, ip := range addrs {
		d, err := buildDevice(i, &opts, layouts)
		if err == nil {
			d.conn, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(opts.Port))))
			if err != nil {
				err = fmt.Errorf("snmpagent: device %d (%s) on %s: %w", i+1, d.spec.Name, ip, err)
			}
		}
		if err != nil {
			a.closeAll()
			return nil, err
		}
		d.addr = d.conn.LocalAddr().String()
		a.devices = append(a.devices, d)
		a.byAddr[d.addr] = d
		a.byAddr[ip.String()] = d
	}
	for _, d := range a.devices {
		a.wg.Add(1)
		go a.serve(d)
	}
	a.stop = context.AfterFunc(ctx, func() { a.Close() })
	return a, nil
}

// buildDevice makes device i (from 0) of opts, without its socket; devices
// of the same shape share a layout from layouts.
func buildDevice(i int, opts *Options, layouts map[shape]*mibLayout) (*Device, error) {
	spec := opts.Spec
	if opts.PerDevice != nil {
		opts.PerDevice(i, &spec)
	}
	spec = spec.fill(i)
	if err := spec.validate(); err != nil {
		return nil, fmt.Errorf("snmpagent: device %d (%s): %w", i+1, spec.Name, err)
	}
	sh := spec.shape()
	l := layouts[sh]
	if l == nil {
		l = newLayout(sh)
		layouts[sh] = l
	}
	d, err := newDevice(i, spec, opts.Community, l, opts.Clock)
	if err == nil {
		d.usm, err = newUSM(engineIDFor(i, spec.Name), opts.Users)
	}
	if err != nil {
		return nil, fmt.Errorf("snmpagent: device %d (%s): %w", i+1, spec.Name, err)
	}
	return d, nil
}

// loopbackRange returns n IPv4 addresses from first, skipping .0 and .255.
func loopbackRange(first string, n int) ([]netip.Addr, error) {
	ip, err := netip.ParseAddr(first)
	if err != nil || !ip.Is4() {
		return nil, fmt.Errorf("snmpagent: first address %q: want an IPv4 address", first)
	}
	lo := netip.MustParsePrefix("127.0.0.0/8")
	out := make([]netip.Addr, 0, n)
	for len(out) < n {
		if !lo.Contains(ip) {
			return nil, fmt.Errorf("snmpagent: device %d would bind %s: %w", len(out)+1, ip, ErrNotLoopback)
		}
		if last := ip.As4()[3]; last != 0 && last != 255 {
			out = append(out, ip)
		}
		ip = ip.Next()
	}
	return out, nil
}

// serve reads and answers d's requests until its socket is closed.
func (a *Agent) serve(d *Device) {
	defer a.wg.Done()
	buf := make([]byte, maxRequest)
	for {
		n, from, err := d.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		sc := a.pool.Get().(*scratch)
		if resp := d.handle(buf[:n], sc); resp != nil {
			_, _ = d.conn.WriteToUDPAddrPort(resp, from)
		}
		a.pool.Put(sc)
	}
}

// Devices returns every device, in address order.
func (a *Agent) Devices() []*Device { return append([]*Device(nil), a.devices...) }

// Device returns the device at addr (host:port, or the host alone), or nil.
func (a *Agent) Device(addr string) *Device { return a.byAddr[addr] }

// Close stops every device and waits for their goroutines. It is safe to
// call more than once.
func (a *Agent) Close() error {
	a.once.Do(func() {
		if a.stop != nil {
			a.stop()
		}
		a.closeAll()
		a.wg.Wait()
	})
	return nil
}

func (a *Agent) closeAll() {
	for _, d := range a.devices {
		_ = d.conn.Close()
	}
}
