package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"time"

	"noctop/model"
)

// Options tune a Notifier. Zero values take the defaults.
type Options struct {
	// Record makes an event of an attempt: Engine.Notify, which never
	// waits. nil records nothing.
	Record func(model.Notice) error
	// Now is the clock (time.Now).
	Now func() time.Time
	// Backoff is the wait after a first failed attempt, doubling after
	// each further one up to MaxBackoff (1 s, 1 min).
	Backoff, MaxBackoff time.Duration
	// QueueLen bounds the messages waiting per receiver (64).
	QueueLen int
	// Tick is how often problems are looked at again without a new
	// snapshot, for renotify (10 s).
	Tick time.Duration
	// Resend is how often firing Alertmanager alerts are sent again (1 min).
	Resend time.Duration
	// Resolver resolves receivers' host names (nil: the system's).
	Resolver *net.Resolver
	// Labels go on every Alertmanager alert: a sharded poller's site and
	// shard (nil: none).
	Labels map[string]string
	// Owns says whether this poller owns an asset; nil: all of them. A
	// sharded poller is told nothing about the assets it only borrows:
	// their owner tells.
	Owns func(asset string) bool

	counts *counts // made by New; nil (nothing counted) in a bare Options
}

func (o *Options) fill() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.QueueLen <= 0 {
		o.QueueLen = 64
	}
	if o.Tick <= 0 {
		o.Tick = 10 * time.Second
	}
	if o.Resend <= 0 {
		o.Resend = time.Minute
	}
}

// backoff is the wait after failed attempt i (1-based).
func (o *Options) backoff(i int) time.Duration {
	d := o.Backoff
	for ; i > 1 && d < o.MaxBackoff; i-- {
		d *= 2
	}
	return min(d, o.MaxBackoff)
}

// record makes an event about asset ("" for none).
func (o *Options) record(asset, summary string) {
	if o.Record != nil {
		_ = o.Record(model.Notice{Kind: model.EventNotify, Asset: asset, Summary: summary})
	}
}

// Notifier tells the configured receivers about problems. Run owns it: it
// reads snapshots, applies each receiver's Rules and queues what they say
// to the receiver's worker.
type Notifier struct {
	o      Options
	cfgs   []model.Notify
	reload chan []model.Notify
}

// New returns a Notifier for the receivers cfgs (defaults applied, as Load
// leaves them).
func New(cfgs []model.Notify, o Options) *Notifier {
	o.fill()
	o.counts = &counts{}
	return &Notifier{o: o, cfgs: cfgs, reload: make(chan []model.Notify, 1)}
}

// receiver is one configured receiver as Run keeps it.
type receiver struct {
	rules  *Rules
	w      *worker
	sig    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Run decides and queues messages from the snapshots on snaps until ctx
// ends or snaps is closed; every receiver's goroutine has ended when it
// returns.
func (n *Notifier) Run(ctx context.Context, snaps <-chan *model.Snapshot) {
	recv := n.apply(ctx, nil, n.cfgs)
	defer func() {
		for _, r := range recv {
			r.stop()
		}
	}()
	tick := time.NewTicker(n.o.Tick)
	defer tick.Stop()
	var last *model.Snapshot
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-snaps:
			if !ok {
				return
			}
			last = s
		case <-tick.C:
		case cfgs := <-n.reload:
			recv = n.apply(ctx, recv, cfgs)
		}
		if last != nil {
			n.step(recv, last)
		}
	}
}

// Reload hands Run a new set of receivers. A receiver whose name and type
// stay keeps what it sent (nothing is told twice) and its queue; one whose
// settings changed gets a new goroutine with them.
func (n *Notifier) Reload(cfgs []model.Notify) {
	for {
		select {
		case n.reload <- cfgs:
			return
		default:
		}
		select { // replace a reload Run has not taken yet
		case <-n.reload:
		default:
		}
	}
}

func (n *Notifier) step(recv []*receiver, snap *model.Snapshot) {
	now := n.o.Now()
	for _, r := range recv {
		out, held := r.rules.Step(snap, now)
		for _, h := range held {
			if !n.owns(h.Asset) {
				continue
			}
			n.o.counts.add(r.rules.cfg.Name, ResultSuppressed)
			n.o.record(h.Asset, fmt.Sprintf("notify %s: suppressed %s %s: %s", r.rules.cfg.Name, h.Asset, h.Status, h.Why))
		}
		for _, m := range out {
			if n.owns(m.Asset) {
				r.w.put(m)
			}
		}
	}
}

// owns reports whether messages about asset are this poller's to send.
func (n *Notifier) owns(asset string) bool {
	return n.o.Owns == nil || asset == "" || n.o.Owns(asset)
}

// apply builds the receivers of cfgs, keeping what old ones knew.
func (n *Notifier) apply(ctx context.Context, old []*receiver, cfgs []model.Notify) []*receiver {
	byName := make(map[string]*receiver, len(old))
	for _, r := range old {
		byName[r.rules.cfg.Name] = r
	}
	out := make([]*receiver, 0, len(cfgs))
	for _, cfg := range cfgs {
		sig := signature(cfg)
		prev := byName[cfg.Name]
		delete(byName, cfg.Name)
		if prev != nil && prev.sig == sig {
			out = append(out, prev)
			continue
		}
		r := &receiver{rules: NewRules(cfg), w: newWorker(cfg, &n.o), sig: sig}
		if prev != nil {
			prev.stop()
			if prev.rules.cfg.Type == cfg.Type {
				r.rules.Adopt(prev.rules)
				r.w.adopt(prev.w)
			}
		}
		r.start(ctx)
		out = append(out, r)
	}
	for _, r := range byName { // removed from the config
		r.stop()
		if q := r.w.queued(); q > 0 {
			n.o.record("", fmt.Sprintf("notify %s: removed from the config; %d queued messages dropped", r.rules.cfg.Name, q))
		}
	}
	return out
}

func (r *receiver) start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		r.w.run(ctx)
	}()
}

// stop ends the receiver's goroutine and waits for it (an attempt in
// flight is cancelled; a command is killed).
func (r *receiver) stop() {
	r.cancel()
	<-r.done
}

// adopt takes over old's queue and, for Alertmanager, what fires.
func (w *worker) adopt(old *worker) {
	old.mu.Lock()
	q := old.queue
	old.queue = nil
	old.mu.Unlock()
	for _, m := range q {
		m.Receiver = w.cfg.Name
		w.put(m)
	}
	if a, ok := w.s.(*alertmanager); ok {
		if b, ok := old.s.(*alertmanager); ok {
			a.firing = b.firing
		}
	}
}

// signature is a receiver's settings in one comparable string, secrets
// resolved, so a reload that changes nothing keeps the receiver running.
func signature(cfg model.Notify) string {
	headers := make(map[string]string, len(cfg.Headers))
	for k, v := range cfg.Headers {
		headers[k] = v.Value()
	}
	b, _ := json.Marshal(struct {
		Cfg     model.Notify
		Headers map[string]string
	}{cfg, headers})
	return string(b)
}

// Test sends a test message to receiver cfg in the caller's goroutine,
// with the receiver's retries, telling each attempt through say. It
// returns nil once the receiver took it.
func Test(ctx context.Context, cfg model.Notify, o Options, say func(string)) error {
	o.fill()
	s := newSender(&cfg, &o)
	defer s.close()
	now := o.Now()
	m := Message{
		Receiver: cfg.Name, Kind: KindTest, Asset: "noctop-test", Check: "test", Layer: model.LayerTechnical,
		Status: model.StatusWarning, Reason: "a test message sent by `noctop notify --test`", StartedAt: now, At: now,
	}
	return deliver(ctx, s, &cfg, &o, &m, say)
}
