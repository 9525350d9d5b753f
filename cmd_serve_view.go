package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/charmbracelet/colorprofile"

	"noctop/model"
	"noctop/serve"
)

// runServeView is `noctop serve --prom`: no monitor, the estate view
// served to every SSH client, one log line per session event and per
// failed refresh on w, until ctx ends.
func runServeView(ctx context.Context, w io.Writer, f serveFlags, sf storeFlags, vf viewFlags, h headlessFlags) error {
	if vf.prom == "" {
		fmt.Fprintln(w, "noctop serve: --am and --match need --prom")
		return exitError{code: 3}
	}
	src, err := vf.source()
	if err != nil {
		fmt.Fprintf(w, "noctop serve: %v\n", err)
		return exitError{code: 3}
	}
	log, err := h.logger(w)
	if err != nil {
		fmt.Fprintf(w, "noctop serve: %v\n", err)
		return exitError{code: 3}
	}
	x, err := listenSSH(ctx, w, f, sf, nil)
	if err != nil {
		return exitError{code: 3}
	}
	defer x.close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := newEstateFeed(src, vf.refresh)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { feed.run(ctx, func(msg string) { log.Warn(msg) }) })
	log.Info("noctop serving the estate view", append([]any{"prom", src.Prom, "am", src.AM, "match", src.Match, "refresh", vf.refresh.String()},
		x.logAttrs()...)...)
	name := vf.viewName()
	app := serve.App{
		Feed: feed,
		Log:  func(msg string) { log.Info(msg) },
		UI:   viewOptions(feed, vf),
		Table: func(w io.Writer, s *model.Snapshot, env []string) (int, error) {
			run := newCheckRun(&model.Config{Path: name}, s, slices.Values(s.Assets), "n/a (estate view)")
			return run.exitCode(), writeCheckTable(colorprofile.NewWriter(w, env), run)
		},
	}
	err = x.srv.Serve(ctx, app)
	ended := ctx.Err() != nil // a signal: not an error
	cancel()
	log.Info("noctop stopped")
	if err != nil && !ended {
		return fmt.Errorf("ssh: %w", err)
	}
	return nil
}
