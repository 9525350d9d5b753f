package shard

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"noctop/model"
)

// ErrReservedTag is a config that already uses BorrowedTag: a sharded
// poller could not tell its borrowed assets from those.
var ErrReservedTag = errors.New("reserved tag")

// Ownership is what a split gave one poller.
type Ownership struct {
	Plan Plan
	// Assets and Services are owned (exported, alerted); BorrowedAssets
	// and BorrowedServices are polled only to judge them.
	Assets, BorrowedAssets     int
	Services, BorrowedServices int
	// Checks are the owned assets' checks, BorrowedChecks the borrowed
	// ones': together what the poller runs.
	Checks, BorrowedChecks int
}

// Polled counts the assets the poller runs checks for.
func (o Ownership) Polled() int { return o.Assets + o.BorrowedAssets }

// What a split keeps of an asset or service.
const (
	dropped uint8 = iota
	borrowed
	owned
)

// Split returns the part of cfg that plan p polls: the assets and services
// it owns, plus, tagged BorrowedTag (assets), the ancestors of every asset
// it polls and the members and sub-services of every service it polls, so
// that no dependency crosses shards. A parent shared by assets of several
// shards is polled by each of them and owned by hashmod(parent) alone.
// Without a sharded plan cfg is returned as it is. Config order is kept;
// cfg is not modified (the result shares its checks).
func Split(cfg *model.Config, p Plan) (*model.Config, Ownership, error) {
	info := Ownership{Plan: p}
	if err := p.Check(); err != nil {
		return nil, info, err
	}
	for i := range cfg.Assets {
		if slices.Contains(cfg.Assets[i].Tags, BorrowedTag) {
			return nil, info, fmt.Errorf("%w: asset %q: tag %q marks the assets a sharded poller borrows; rename it", ErrReservedTag, cfg.Assets[i].Name, BorrowedTag)
		}
	}
	if !p.Sharded() {
		info.Assets, info.Services, info.Checks = len(cfg.Assets), len(cfg.Services), cfg.NumChecks()
		return cfg, info, nil
	}
	part, info := split(cfg, p, p.Owns)
	return part, info, nil
}

// Count is the Ownership of each of n shards of cfg (`noctop shards`):
// Split's numbers, each name hashed once.
func Count(cfg *model.Config, n int) ([]Ownership, error) {
	if err := (Plan{Shards: n}).Check(); err != nil || n < 1 {
		return nil, cmp.Or(err, fmt.Errorf("%w: --shards %d: want at least 1", ErrPlan, n))
	}
	owner := make(map[string]int, len(cfg.Assets)+len(cfg.Services))
	for i := range cfg.Assets {
		owner[cfg.Assets[i].Name] = int(Hashmod(cfg.Assets[i].Name, uint64(n)))
	}
	for i := range cfg.Services {
		owner[cfg.Services[i].Name] = int(Hashmod(cfg.Services[i].Name, uint64(n)))
	}
	out := make([]Ownership, n)
	for i := range out {
		_, out[i] = split(cfg, Plan{Shard: i, Shards: n}, func(name string) bool { return owner[name] == i })
	}
	return out, nil
}

// split is Split of a checked, sharded plan whose ownership owns says.
func split(cfg *model.Config, p Plan, owns func(name string) bool) (*model.Config, Ownership) {
	info := Ownership{Plan: p}
	asset := make(map[string]int, len(cfg.Assets))
	for i := range cfg.Assets {
		asset[cfg.Assets[i].Name] = i
	}
	service := make(map[string]int, len(cfg.Services))
	for i := range cfg.Services {
		service[cfg.Services[i].Name] = i
	}
	keepA := make([]uint8, len(cfg.Assets))
	keepS := make([]uint8, len(cfg.Services))
	var todoA, todoS []int
	for i := range cfg.Assets {
		if owns(cfg.Assets[i].Name) {
			keepA[i] = owned
			todoA = append(todoA, i)
		}
	}
	for i := range cfg.Services {
		if owns(cfg.Services[i].Name) {
			keepS[i] = owned
			todoS = append(todoS, i)
		}
	}
	borrowAsset := func(name string) bool {
		i, ok := asset[name]
		if ok && keepA[i] == dropped {
			keepA[i] = borrowed
			todoA = append(todoA, i)
		}
		return ok
	}
	// Services first: their members' ancestors join the assets' walk.
	for len(todoS) > 0 {
		si := todoS[len(todoS)-1]
		todoS = todoS[:len(todoS)-1]
		for _, n := range cfg.Services[si].Needs {
			if borrowAsset(n) {
				continue
			}
			if j, ok := service[n]; ok && keepS[j] == dropped {
				keepS[j] = borrowed
				todoS = append(todoS, j)
			}
		}
	}
	for len(todoA) > 0 {
		ai := todoA[len(todoA)-1]
		todoA = todoA[:len(todoA)-1]
		for _, n := range cfg.Assets[ai].Parents {
			borrowAsset(n)
		}
	}

	out := *cfg
	out.Assets = make([]model.Asset, 0, len(cfg.Assets)/max(p.Shards, 1)*2)
	for i := range cfg.Assets {
		a := cfg.Assets[i]
		switch keepA[i] {
		case dropped:
			continue
		case owned:
			info.Assets++
			info.Checks += len(a.Checks)
		case borrowed:
			info.BorrowedAssets++
			info.BorrowedChecks += len(a.Checks)
			a.Tags = append(slices.Clip(a.Tags), BorrowedTag)
		}
		out.Assets = append(out.Assets, a)
	}
	out.Services = nil
	for i := range cfg.Services {
		switch keepS[i] {
		case dropped:
			continue
		case owned:
			info.Services++
		case borrowed:
			info.BorrowedServices++
		}
		out.Services = append(out.Services, cfg.Services[i])
	}
	return &out, info
}
