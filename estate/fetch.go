package estate

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	pmodel "github.com/prometheus/common/model"
	"golang.org/x/sync/errgroup"

	"noctop/model"
)

// Fetch reads the estate once: nine Prometheus queries (queries.go) and
// two Alertmanager requests (alerts and silences), run at once, built into
// a snapshot by Build. A Prometheus failure is an error wrapping
// ErrPrometheus and no snapshot; an Alertmanager failure returns the
// snapshot without problem summaries and acks and an error wrapping
// ErrAlertmanager.
func Fetch(ctx context.Context, src Source) (*model.Snapshot, Stats, error) {
	var st counters
	raw, amErr, err := fetchRaw(ctx, src, &st)
	stats := st.stats()
	if err != nil {
		return nil, stats, err
	}
	return Build(raw, src.StaleAfter), stats, amErr
}

// counters count one Fetch's requests; the queries run at once.
type counters struct {
	queries, amRequests atomic.Int64
	bytes, amBytes      atomic.Int64
}

func (c *counters) stats() Stats {
	return Stats{
		Queries: int(c.queries.Load()), Bytes: c.bytes.Load(),
		AMRequests: int(c.amRequests.Load()), AMBytes: c.amBytes.Load(),
	}
}

// countingClient counts the requests and answer bytes of the Prometheus
// API client.
type countingClient struct {
	api.Client
	c *counters
}

func (cc countingClient) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	resp, body, err := cc.Client.Do(ctx, req)
	cc.c.queries.Add(1)
	cc.c.bytes.Add(int64(len(body)))
	return resp, body, err
}

// fetchRaw runs the queries and requests and decodes their answers.
func fetchRaw(ctx context.Context, src Source, st *counters) (*Raw, error, error) {
	m, err := matchers(src.Match)
	if err != nil {
		return nil, nil, err
	}
	client, err := api.NewClient(api.Config{Address: src.Prom})
	if err != nil {
		return nil, nil, fmt.Errorf("%w %s: %w", ErrPrometheus, src.Prom, err)
	}
	prom := v1.NewAPI(countingClient{Client: client, c: st})
	raw := &Raw{At: time.Now()}
	qs := queries(m)
	answers := make([]pmodel.Vector, len(qs))
	g, gctx := errgroup.WithContext(ctx)
	for i, q := range qs {
		g.Go(func() error {
			v, err := instant(gctx, prom, q, raw.At)
			answers[i] = v
			return err
		})
	}
	var alerts []Alert
	var silences []Silence
	amErr := make(chan error, 1)
	if src.AM == "" {
		amErr <- nil
	} else {
		go func() { // ends with the two requests, bounded by ctx
			var err error
			alerts, silences, err = readAlertmanager(ctx, src.AM, st)
			amErr <- err
		}()
	}
	err = g.Wait()
	aerr := <-amErr
	if err != nil {
		return nil, nil, err
	}
	raw.Alerts, raw.Silences = alerts, silences
	decodeAnswers(raw, qs, answers)
	return raw, aerr, nil
}

// instant runs one query, its answer an instant vector.
func instant(ctx context.Context, prom v1.API, q query, at time.Time) (pmodel.Vector, error) {
	v, _, _, err := prom.Query(ctx, q.expr, at)
	if err != nil {
		return nil, fmt.Errorf("%w: query %s: %w", ErrPrometheus, q.name, err)
	}
	vec, ok := v.(pmodel.Vector)
	if !ok {
		return nil, fmt.Errorf("%w: query %s answered a %s, not a vector", ErrPrometheus, q.name, v.Type())
	}
	return vec, nil
}
