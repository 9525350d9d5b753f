package main

import (
	"context"
	"os"
	"os/user"
	"strconv"

	"noctop/model"
	"noctop/store"
)

// operationHandlers apply what `noctop ack`, `unack` and `maintenance`
// queue in the database to the monitor's engine (store.Operate).
func operationHandlers(e *model.Engine) store.Handlers {
	return store.Handlers{
		Ack:   func(ctx context.Context, op store.Operation) error { return e.Ack(ctx, op.AckRequest()) },
		Unack: func(ctx context.Context, op store.Operation) error { return e.Unack(ctx, op.Key(), op.By) },
		Maintenance: func(ctx context.Context, op store.Operation) error {
			return e.Maintain(ctx, model.MaintainRequest{Asset: op.Asset, Until: op.Until, Reason: op.Comment, By: op.By})
		},
		EndMaintenance: func(ctx context.Context, op store.Operation) error {
			return e.EndMaintenance(ctx, op.Asset, op.By)
		},
	}
}

// operatorName is who acts: flag (--by), else $USER, else the uid's name,
// else "uid N".
func operatorName(flag string) string {
	if flag != "" {
		return flag
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	uid := os.Getuid()
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}
