package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"noctop/model"
	"noctop/shard"
)

// reloadDebounce is how long the config file must stay quiet before it is
// read: an editor saves in several steps (write a temporary file, rename it
// over the old one), and the reload should see the result, once.
const reloadDebounce = 250 * time.Millisecond

// requestReload asks the monitor to read its config again (SIGHUP). It
// never blocks: a request already pending covers this one.
func (m *monitor) requestReload() {
	select {
	case m.hup <- struct{}{}:
	default:
	}
}

// configWatch is the watch on the config file: opened by watch before the
// monitor says it started, so no change after the config was read is
// missed; watchConfig owns it from then on.
type configWatch struct {
	say   func(string)
	w     *fsnotify.Watcher // nil when the file cannot be watched
	names map[string]bool   // the file's name and where a symlink at it leads
}

// watch makes run reload the config on requestReload and when its file
// changes. It watches the file's directory, not the file, so that an
// editor replacing the file by a rename is seen. say reports what the
// engine's events do not: the watcher's own trouble.
func (m *monitor) watch(say func(string)) {
	cw := &configWatch{say: say, names: map[string]bool{}}
	m.watcher = cw
	path := m.cfg.Path
	if path == "" {
		return
	}
	cw.names[filepath.Clean(path)] = true
	if target, err := filepath.EvalSymlinks(path); err == nil {
		cw.names[filepath.Clean(target)] = true
	}
	// The custom profile files the config names at start are part of it.
	for _, p := range m.cfg.Profiles {
		cw.names[filepath.Clean(p.File)] = true
	}
	w, err := fsnotify.NewWatcher()
	if err == nil {
		for name := range cw.names {
			err = errors.Join(err, w.Add(filepath.Dir(name)))
		}
		cw.w = w
	}
	if err != nil {
		say(fmt.Sprintf("not watching %s for changes (SIGHUP still reloads it): %v", path, err))
	}
}

// watchConfig reloads the config on requestReload and when its file
// changes, until ctx ends. m.close closes the watch.
func (m *monitor) watchConfig(ctx context.Context, cw *configWatch) {
	path, say, names := m.cfg.Path, cw.say, cw.names
	var changed <-chan fsnotify.Event
	var watchErrs <-chan error
	if cw.w != nil {
		changed, watchErrs = cw.w.Events, cw.w.Errors
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-changed:
			if names[filepath.Clean(ev.Name)] && !ev.Has(fsnotify.Chmod) {
				debounce.Reset(reloadDebounce)
			}
			continue
		case err := <-watchErrs:
			say(fmt.Sprintf("watching %s: %v", path, err))
			continue
		case <-m.hup:
			debounce.Stop()
			if path == "" {
				say("SIGHUP: the built-in config has no file to reload")
				continue
			}
		case <-debounce.C:
		}
		if err := m.reload(ctx, path); err != nil && ctx.Err() == nil {
			say(fmt.Sprintf("reload of %s failed: %v", path, err))
		}
	}
}

// reload reads the config at path and applies it to the engine, then to
// the scheduler, or has the engine publish why it was refused: the old
// config keeps running.
func (m *monitor) reload(ctx context.Context, path string) error {
	cfg, err := model.LoadContext(ctx, path)
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return nil // stopping
		}
		return m.engine.RefuseConfig(ctx, err)
	}
	// The same split as at start: the plan never changes while running.
	if cfg, _, err = shard.Split(cfg, m.plan); err != nil {
		return m.engine.RefuseConfig(ctx, err)
	}
	// The engine first: a result the old scheduler still sends for a check
	// the new config lacks is then dropped, never applied to a newcomer.
	if err := m.engine.Reload(ctx, cfg); err != nil {
		return err
	}
	if _, err := m.sched.Reload(ctx, cfg); err != nil {
		return err
	}
	if m.notifier != nil {
		m.notifier.Reload(cfg.Notify)
	}
	m.cfg = cfg
	return nil
}
