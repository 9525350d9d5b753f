package snmpagent

import (
	"time"

	"github.com/gosnmp/gosnmp"
)

// request is a decoded GET, GETNEXT or GETBULK, whatever its version.
type request struct {
	version gosnmp.SnmpVersion
	pdu     gosnmp.PDUType
	reqID   uint32
	nonRep  int
	maxRep  int
	oids    []oid
	names   []string // the request OIDs as gosnmp decoded them
}

// SNMP error-status values the agent sends (RFC 3416).
const (
	errNoError    = 0
	errTooBig     = 1
	errNoSuchName = 2 // SNMPv1 only
	errNoAccess   = 6
	errAuthz      = 16 // authorizationError: below the user's security level
)

// resolver answers one request against a device's state under its lock.
type resolver struct {
	d     *Device
	rq    *request
	l     *mibLayout
	st    *devState
	now   time.Time
	up    time.Duration
	m     Misbehave
	v1    bool
	limit int // bytes the varbind list may take
	size  int
	vbs   []vb
}

// resolve computes the varbinds answering rq; limit bounds their encoded
// size. It returns the varbinds and the error status and index.
func (d *Device) resolve(rq *request, limit int, buf []vb) ([]vb, int, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock()
	r := &resolver{
		d: d, rq: rq, l: d.layout, st: &d.st, now: now, up: now.Sub(d.st.boot),
		m: Misbehave(d.misbehave.Load()), v1: rq.version == gosnmp.Version1,
		limit: limit, vbs: buf[:0],
	}
	switch rq.pdu {
	case gosnmp.GetRequest:
		for i, o := range rq.oids {
			v := r.get(o, i)
			if r.v1 && v.tag >= tagNoSuchOb {
				return r.echo(rq), errNoSuchName, i + 1
			}
			if !r.add(v) {
				return r.vbs[:0], errTooBig, 0
			}
		}
	case gosnmp.GetNextRequest:
		for i, o := range rq.oids {
			v, _ := r.next(r.l.after(o), nil, i)
			if r.v1 && v.tag == tagEndOfMib {
				return r.echo(rq), errNoSuchName, i + 1
			}
			if !r.add(v) {
				return r.vbs[:0], errTooBig, 0
			}
		}
	case gosnmp.GetBulkRequest:
		r.bulk(rq)
		if len(r.vbs) == 0 && len(rq.oids) > 0 {
			return r.vbs, errTooBig, 0
		}
	case gosnmp.SetRequest:
		if r.v1 {
			return r.echo(rq), errNoSuchName, 1
		}
		return r.echo(rq), errNoAccess, 1
	}
	return r.vbs, errNoError, 0
}

// bulk follows RFC 3416 4.2.3: non-repeaters once, then up to
// max-repetitions rounds over the rest; it stops early when every repeater
// is at the end of the MIB or the next varbind would not fit.
func (r *resolver) bulk(rq *request) {
	n := min(max(rq.nonRep, 0), len(rq.oids))
	for i := range n {
		v, _ := r.next(r.l.after(rq.oids[i]), nil, i)
		if !r.add(v) {
			return
		}
	}
	reps := len(rq.oids) - n
	if reps == 0 {
		return
	}
	pos := make([]int, reps)
	prev := make([]*mibEntry, reps)
	for j := range reps {
		pos[j] = -1
	}
	for range max(rq.maxRep, 0) {
		allEnd := true
		for j := range reps {
			var v vb
			if pos[j] < 0 {
				v, pos[j] = r.next(r.l.after(rq.oids[n+j]), nil, n+j)
			} else {
				v, pos[j] = r.next(pos[j]+1, prev[j], n+j)
			}
			if v.tag != tagEndOfMib {
				allEnd = false
				prev[j] = v.e
			}
			if !r.add(v) {
				return
			}
		}
		if allEnd {
			return
		}
	}
}

// add appends v if it fits in the size limit.
func (r *resolver) add(v vb) bool {
	n := r.vbSize(&v)
	if r.size+n > r.limit {
		return false
	}
	r.size += n
	r.vbs = append(r.vbs, v)
	return true
}

// echo answers an error with the request's names and NULL values.
func (r *resolver) echo(rq *request) []vb {
	r.vbs = echo(r.vbs, len(rq.oids))
	return r.vbs
}

// echo fills buf with n varbinds naming the request's OIDs, values NULL.
func echo(buf []vb, n int) []vb {
	buf = buf[:0]
	for i := range n {
		buf = append(buf, vb{req: i, tag: tagNull})
	}
	return buf
}

// hidden reports whether e is absent from the device's view right now, and
// the exception a GET of it gets.
func (r *resolver) hidden(e *mibEntry) (bool, byte) {
	switch {
	case r.v1 && e.kind.is64():
		return true, tagNoSuchOb
	case e.kind == kHrProcessorLoad && r.up < r.d.spec.ProcessorLoadAfter:
		return true, tagNoSuchIn
	case r.m == MisbehaveNoSuch && e.kind.isIfX():
		return true, tagNoSuchOb
	case r.m == MisbehaveNoSuch && e.kind == kSysUpTime:
		return true, tagNoSuchIn
	case r.st.prof.alertHidden(e):
		return true, tagNoSuchIn
	}
	return false, 0
}

// get answers a GET of o, request varbind number req.
func (r *resolver) get(o oid, req int) vb {
	i, found := r.l.find(o)
	if found {
		e := &r.l.entries[i]
		if h, exc := r.hidden(e); h {
			return vb{e: e, tag: exc}
		}
		return r.d.value(e, r.st, r.now, r.m)
	}
	if r.l.objectKnown(o) {
		return vb{req: req, tag: tagNoSuchIn}
	}
	return vb{req: req, tag: tagNoSuchOb}
}

// next answers the first visible instance at or after index i; prev (or
// request varbind req when prev is nil) names an endOfMibView. It returns
// the position to continue from.
func (r *resolver) next(i int, prev *mibEntry, req int) (vb, int) {
	entries := r.l.entries
	for ; i < len(entries); i++ {
		e := &entries[i]
		if h, _ := r.hidden(e); h {
			continue
		}
		if e.kind.isIfRow() {
			switch {
			case r.m == MisbehaveEndOfMIB && e.row >= len(r.d.ifs)/2:
				i = len(entries)
				continue
			case r.m == MisbehaveLoop && e.row >= 2:
				i -= e.row
				e = &entries[i]
			case r.m == MisbehaveRepeat && e.row >= 2:
				i--
				e = &entries[i]
			case r.m == MisbehaveEcho:
				v := r.d.value(e, r.st, r.now, r.m)
				v.e, v.req = nil, req // named as asked
				return v, i
			}
		}
		return r.d.value(e, r.st, r.now, r.m), i
	}
	return vb{e: prev, req: req, tag: tagEndOfMib}, len(entries)
}
