package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// benchHTTP: noctop check of N http checks against N curl processes (a
// shell loop under one GNU time, which sums the children), on a local
// server.
func benchHTTP(ctx context.Context, e *env) (string, error) {
	n := 1000
	if e.opts.quick {
		n = 100
	}
	srv, err := startHTTP()
	if err != nil {
		return "", err
	}
	defer srv.Close()
	cfg := filepath.Join(e.dir, "http.toml")
	if err := writeFile(cfg, httpConfig(srv.URL, n, "30s")); err != nil {
		return "", err
	}
	urls := filepath.Join(e.dir, "urls.txt")
	if err := writeFile(urls, strings.Repeat(srv.URL+"\n", n)); err != nil {
		return "", err
	}
	loop := filepath.Join(e.dir, "curls.sh")
	if err := writeFile(loop, "while read -r u; do curl -s -o /dev/null \"$u\" || exit 1; done\n"); err != nil {
		return "", err
	}
	nc := measured{label: "`noctop check --json`", short: "noctop"}
	cu := measured{label: fmt.Sprintf("%s x `curl -s -o /dev/null` (one `sh` loop)", count(float64(n))), short: "curl"}
	var ncPer, cuPer series
	for round := range e.opts.rounds {
		steps := []func() error{
			func() error {
				before := srv.hits.Load()
				u, out, _, err := e.run.run(ctx, "", e.noctop, "check", "--json", "-c", cfg)
				if err != nil {
					return err
				}
				_, _, byStatus, err := readCheckJSON(out)
				if err != nil {
					return err
				}
				if err := allOK(byStatus, n); err != nil {
					return err
				}
				if got := srv.hits.Load() - before; got != int64(n) {
					return fmt.Errorf("%w: the server had %d requests from noctop, want %d", errOutput, got, n)
				}
				nc.add(u)
				ncPer = append(ncPer, u.cpu()/float64(n)*1e6)
				e.logf("http round %d: noctop %v", round+1, u)
				return nil
			},
			func() error {
				before := srv.hits.Load()
				u, _, _, err := e.run.run(ctx, urls, "sh", loop)
				if err != nil {
					return err
				}
				if got := srv.hits.Load() - before; got != int64(n) {
					return fmt.Errorf("%w: the server had %d requests from curl, want %d", errOutput, got, n)
				}
				cu.add(u)
				cuPer = append(cuPer, u.cpu()/float64(n)*1e6)
				e.logf("http round %d: curl %v", round+1, u)
				return nil
			},
		}
		if err := alternate(round, steps); err != nil {
			return "", err
		}
	}
	nc.extra = []string{cell(ncPer, sig3, "")}
	cu.extra = []string{cell(cuPer, sig3, "")}
	c := comparison{
		title: fmt.Sprintf("HTTP: %s checks of a local server", count(float64(n))),
		intro: fmt.Sprintf("A Go HTTP server in the harness answers `GET /healthy` with \"ok\". noctop: %s assets with one http check each "+
			"(body must contain \"ok\"; the default 256 at a time, a new connection each). curl: one process per request, one after another, "+
			"from one `sh` loop whose own cost is in the figure.", count(float64(n))),
		extraCols: []string{"CPU µs per request"},
		rows:      []measured{nc, cu},
		ref:       1,
	}
	return c.markdown(), nil
}
