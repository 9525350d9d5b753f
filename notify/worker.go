package notify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"noctop/model"
)

// sender makes one attempt to deliver a message.
type sender interface {
	send(ctx context.Context, m *Message) error
	close()
}

// refresher is a sender that must repeat what it sent now and then
// (Alertmanager's firing alerts).
type refresher interface {
	refresh(ctx context.Context) error
	refreshEvery() time.Duration
}

func newSender(cfg *model.Notify, o *Options) sender {
	switch cfg.Type {
	case model.NotifyExec:
		return newCommand(cfg)
	case model.NotifyAlertmanager:
		return newAlertmanager(cfg, o)
	}
	return newWebhook(cfg, o.Resolver)
}

// worker is one receiver's goroutine and its queue: messages wait there
// while an earlier one is being sent or retried, at most QueueLen of them
// (the oldest is dropped, with an event). The Notifier puts, the worker
// takes; nothing the receiver does can reach the Notifier.
type worker struct {
	cfg model.Notify
	s   sender
	o   *Options

	mu    sync.Mutex
	queue []Message
	wake  chan struct{}
	// refreshFailed is whether the last refresh failed: its failures are
	// told when they start and end, not every minute.
	refreshFailed bool
}

func newWorker(cfg model.Notify, o *Options) *worker {
	return &worker{cfg: cfg, s: newSender(&cfg, o), o: o, wake: make(chan struct{}, 1)}
}

// put queues m and never waits.
func (w *worker) put(m Message) {
	w.mu.Lock()
	var lost Message
	full := len(w.queue) >= w.o.QueueLen
	if full {
		lost = w.queue[0]
		w.queue = slices.Delete(w.queue, 0, 1)
	}
	w.queue = append(w.queue, m)
	w.mu.Unlock()
	if full {
		w.o.counts.add(w.cfg.Name, ResultDropped)
		w.o.record(lost.Asset, fmt.Sprintf("notify %s: dropped %s (%d messages queued: the receiver is too slow)", w.cfg.Name, brief(&lost), w.o.QueueLen))
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) take() (Message, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		return Message{}, false
	}
	m := w.queue[0]
	w.queue = slices.Delete(w.queue, 0, 1)
	return m, true
}

// Queued counts the messages waiting.
func (w *worker) queued() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

// run sends what is queued until ctx ends.
func (w *worker) run(ctx context.Context) {
	defer w.s.close()
	var tick <-chan time.Time
	if r, ok := w.s.(refresher); ok {
		t := time.NewTicker(r.refreshEvery())
		defer t.Stop()
		tick = t.C
	}
	for ctx.Err() == nil {
		if m, ok := w.take(); ok {
			_ = deliver(ctx, w.s, &w.cfg, w.o, &m, func(text string) { w.o.record(m.Asset, text) })
			continue
		}
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-tick:
			w.refresh(ctx)
		}
	}
}

// refresh has a refresher repeat what it sent, in one attempt.
func (w *worker) refresh(ctx context.Context) {
	actx, cancel := context.WithTimeout(ctx, w.cfg.Timeout.Duration)
	err := w.s.(refresher).refresh(actx)
	cancel()
	switch {
	case ctx.Err() != nil:
	case err != nil && !w.refreshFailed:
		w.o.record("", fmt.Sprintf("notify %s: failed to send the firing alerts again: %s", w.cfg.Name, why(err)))
	case err == nil && w.refreshFailed:
		w.o.record("", fmt.Sprintf("notify %s: firing alerts sent again", w.cfg.Name))
	}
	w.refreshFailed = err != nil
}

// deliver tries to send m: up to 1+Retries attempts, each bounded by the
// receiver's timeout, with exponential backoff between them. Every attempt
// is told through say. It returns the last error, nil once sent.
func deliver(ctx context.Context, s sender, cfg *model.Notify, o *Options, m *Message, say func(string)) error {
	tries := cfg.Retries + 1
	for i := 1; ; i++ {
		actx, cancel := context.WithTimeout(ctx, cfg.Timeout.Duration)
		err := s.send(actx, m)
		cancel()
		if err == nil {
			o.counts.add(cfg.Name, ResultSent)
			say(fmt.Sprintf("notify %s: sent %s (attempt %d/%d)", cfg.Name, brief(m), i, tries))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err() // stopping: nobody is left to tell
		}
		o.counts.add(cfg.Name, ResultFailed)
		if errors.Is(actx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s: %w", cfg.Timeout.Duration, err)
		}
		if i >= tries || errors.Is(err, ErrPermanent) {
			say(fmt.Sprintf("notify %s: failed %s, gave up after attempt %d/%d: %s", cfg.Name, brief(m), i, tries, why(err)))
			return err
		}
		wait := o.backoff(i)
		say(fmt.Sprintf("notify %s: failed %s (attempt %d/%d): %s; retrying in %s", cfg.Name, brief(m), i, tries, why(err), wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// brief names a message in an event: "problem core-sw1 CRITICAL (root
// cause, 20 unreachable)".
func brief(m *Message) string {
	if m.Kind == KindTest {
		return "test message"
	}
	s := fmt.Sprintf("%s %s %s", m.Kind, m.Asset, m.Status)
	switch {
	case m.Affected > 0:
		s += fmt.Sprintf(" (root cause, %d unreachable)", m.Affected)
	case m.RootCause:
		s += " (root cause)"
	}
	return s
}

// why is an error as an event says it: without the URL net/http puts in
// front (a webhook URL may hold a token), clipped.
func why(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := err.Error()
		// Keep what wraps it ("no answer within 5s: ") and drop the URL.
		if full := ue.Error(); strings.HasSuffix(msg, full) {
			err = errors.New(msg[:len(msg)-len(full)] + ue.Op + ": " + ue.Err.Error())
		}
	}
	return model.Clip(err.Error(), model.MaxNetText)
}
