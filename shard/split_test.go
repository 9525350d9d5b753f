package shard

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"noctop/model"
)

// estate is a three-level tree (core -> 10 dist -> 200 access, one diamond)
// and services over its leaves and over another service.
func estate() *model.Config {
	cfg := &model.Config{}
	ping := []model.Check{{Type: model.CheckICMP, Name: "icmp"}}
	cfg.Assets = append(cfg.Assets, model.Asset{Name: "core", Checks: ping})
	for d := range 10 {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("dist-%d", d), Parents: []string{"core"}, Checks: ping})
	}
	for a := range 200 {
		parents := []string{fmt.Sprintf("dist-%d", a%10)}
		if a == 7 {
			parents = append(parents, "dist-3") // a diamond
		}
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("acc-%d", a), Parents: parents, Tags: []string{"edge"}, Checks: ping})
	}
	cfg.Services = []model.Service{
		{Name: "erp", Rule: "all", Needs: []string{"acc-1", "acc-2", "acc-3"}},
		{Name: "web", Rule: "any", Needs: []string{"acc-4", "acc-5"}},
		{Name: "shop", Rule: "all", Needs: []string{"erp", "web", "acc-6"}},
	}
	return cfg
}

// Every asset and service is owned by exactly one shard, the one hashmod
// names; each shard polls the ancestors of whatever it polls and the
// members of its services, tagged borrowed unless it owns them.
func TestSplitOwnsOnceAndBorrowsDependencies(t *testing.T) {
	cfg := estate()
	const n = 3
	owners := map[string]int{}
	for i := range n {
		part, info, err := Split(cfg, Plan{Shard: i, Shards: n})
		if err != nil {
			t.Fatal(err)
		}
		polled := map[string]*model.Asset{}
		for k := range part.Assets {
			polled[part.Assets[k].Name] = &part.Assets[k]
		}
		var own, borrow, checks int
		for name, a := range polled {
			isBorrowed := slices.Contains(a.Tags, BorrowedTag)
			if mine := Hashmod(name, n) == uint64(i); mine == isBorrowed {
				t.Errorf("shard %d: %s owned=%v but tagged borrowed=%v", i, name, mine, isBorrowed)
			}
			if isBorrowed {
				borrow++
			} else {
				own++
				owners[name]++
			}
			checks += len(a.Checks)
			for _, p := range a.Parents {
				if polled[p] == nil {
					t.Errorf("shard %d polls %s but not its parent %s", i, name, p)
				}
			}
		}
		for _, s := range part.Services {
			if Hashmod(s.Name, n) == uint64(i) {
				owners[s.Name]++
			}
			for _, m := range s.Needs {
				if polled[m] == nil && !slices.ContainsFunc(part.Services, func(x model.Service) bool { return x.Name == m }) {
					t.Errorf("shard %d polls service %s but not its member %s", i, s.Name, m)
				}
			}
		}
		if info.Assets != own || info.BorrowedAssets != borrow || info.Checks+info.BorrowedChecks != checks || info.Polled() != len(part.Assets) {
			t.Errorf("shard %d: info %+v, counted %d owned %d borrowed %d checks", i, info, own, borrow, checks)
		}
		if info.Services+info.BorrowedServices != len(part.Services) {
			t.Errorf("shard %d: info %+v, %d services", i, info, len(part.Services))
		}
	}
	for _, a := range cfg.Assets {
		if owners[a.Name] != 1 {
			t.Errorf("%s owned by %d shards", a.Name, owners[a.Name])
		}
		if slices.Contains(a.Tags, BorrowedTag) {
			t.Errorf("Split tagged the caller's asset %s", a.Name)
		}
	}
	for _, s := range cfg.Services {
		if owners[s.Name] != 1 {
			t.Errorf("service %s owned by %d shards", s.Name, owners[s.Name])
		}
	}
}

// The shop service's owner polls erp and web (and their members) too.
func TestSplitBorrowsSubServices(t *testing.T) {
	cfg := estate()
	const n = 5
	i := int(Hashmod("shop", n))
	part, _, err := Split(cfg, Plan{Shard: i, Shards: n})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range part.Services {
		names = append(names, s.Name)
	}
	for _, want := range []string{"erp", "web", "shop"} {
		if !slices.Contains(names, want) {
			t.Errorf("shard %d of %d (owner of shop) polls services %v, want %s among them", i, n, names, want)
		}
	}
}

func TestSplitUnshardedIsTheConfig(t *testing.T) {
	cfg := estate()
	part, info, err := Split(cfg, Plan{Site: "paris"})
	if err != nil {
		t.Fatal(err)
	}
	if part != cfg || info.Assets != len(cfg.Assets) || info.BorrowedAssets != 0 || info.Services != 3 {
		t.Errorf("unsharded split: %+v (same config: %v)", info, part == cfg)
	}
}

func TestSplitRefusesTheReservedTag(t *testing.T) {
	cfg := estate()
	cfg.Assets[5].Tags = []string{BorrowedTag}
	_, _, err := Split(cfg, Plan{Shard: 0, Shards: 2})
	if !errors.Is(err, ErrReservedTag) {
		t.Fatalf("err = %v, want ErrReservedTag", err)
	}
}

func TestPlanCheck(t *testing.T) {
	for _, tc := range []struct {
		p    Plan
		want string
	}{
		{Plan{Shard: 2, Shards: 2}, "--shard 2: want 0 to 1 (--shards 2 counts from 0)"},
		{Plan{Shard: -1, Shards: 2}, "--shard -1: want 0 or more"},
		{Plan{Shards: -3}, "--shards -3: want at least 1"},
		{Plan{Shards: MaxShards + 1}, "--shards 1025: at most 1024"},
		{Plan{Site: "par is"}, `--site "par is": character ' ' at 3: use letters, digits, '.', '_' and '-'`},
	} {
		err := tc.p.Check()
		if !errors.Is(err, ErrPlan) || err.Error() != ErrPlan.Error()+": "+tc.want {
			t.Errorf("%+v: %v, want %q", tc.p, err, tc.want)
		}
	}
	for _, ok := range []Plan{{}, {Shard: 0, Shards: 1}, {Shard: 3, Shards: 4, Site: "eu-west.1"}} {
		if err := ok.Check(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

func TestPlanLabels(t *testing.T) {
	for _, tc := range []struct {
		p    Plan
		want map[string]string
	}{
		{Plan{}, nil},
		{Plan{Site: "a"}, map[string]string{"site": "a"}},
		{Plan{Shard: 1, Shards: 2}, map[string]string{"shard": "1"}},
		{Plan{Shard: 0, Shards: 2, Site: "a"}, map[string]string{"site": "a", "shard": "0"}},
	} {
		got := tc.p.Labels()
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: %v, want %v", tc.p, got, tc.want)
		}
	}
}

// Count says what Split says, shard by shard.
func TestCountEqualsSplit(t *testing.T) {
	cfg := estate()
	const n = 4
	counts, err := Count(cfg, n)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := range n {
		_, info, err := Split(cfg, Plan{Shard: i, Shards: n})
		if err != nil {
			t.Fatal(err)
		}
		if counts[i] != info {
			t.Errorf("shard %d: Count %+v, Split %+v", i, counts[i], info)
		}
		total += info.Assets
	}
	if total != len(cfg.Assets) {
		t.Errorf("shards own %d assets of %d", total, len(cfg.Assets))
	}
	if _, err := Count(cfg, 0); !errors.Is(err, ErrPlan) {
		t.Errorf("Count(0 shards): %v", err)
	}
}
