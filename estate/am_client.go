package estate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"noctop/model"
)

// readAlertmanager reads the alerts and the silences.
func readAlertmanager(ctx context.Context, base string, st *counters) ([]Alert, []Silence, error) {
	body, err := amGet(ctx, base, "/api/v2/alerts", st)
	if err != nil {
		return nil, nil, err
	}
	alerts, err := DecodeAlerts(body)
	if err != nil {
		return nil, nil, err
	}
	body, err = amGet(ctx, base, "/api/v2/silences", st)
	if err != nil {
		return nil, nil, err
	}
	silences, err := DecodeSilences(body)
	if err != nil {
		return nil, nil, err
	}
	return alerts, silences, nil
}

// amGet reads one answer of Alertmanager's API.
func amGet(ctx context.Context, base, path string, st *counters) ([]byte, error) {
	return amDo(ctx, http.MethodGet, strings.TrimRight(base, "/")+path, nil, st)
}

// amDo makes one request of Alertmanager's API and reads its answer,
// bounded; a status other than 2xx is an error quoting the answer.
func amDo(ctx context.Context, method, u string, body []byte, st *counters) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrAlertmanager, method, u, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrAlertmanager, method, u, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxAMBody+1))
	if st != nil {
		st.amRequests.Add(1)
		st.amBytes.Add(int64(len(out)))
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %s %s: %w", ErrAlertmanager, method, u, err)
	case len(out) > maxAMBody:
		return nil, fmt.Errorf("%w: %s %s: answer over %d bytes", ErrAlertmanager, method, u, maxAMBody)
	case resp.StatusCode/100 != 2:
		return nil, fmt.Errorf("%w: %s %s: %s: %s", ErrAlertmanager, method, u, resp.Status, model.Clip(strings.TrimSpace(string(out)), 200))
	}
	return out, nil
}
