// Package shard splits an estate between pollers. An asset belongs to the
// shard hashmod(name) names, computed as Prometheus's relabel action
// `hashmod` does, so a scrape config can split the same way. A poller also
// polls ("borrows") what it needs to judge what it owns: the ancestors of
// its assets, and the members (and sub-services) of its services. Borrowed
// assets are polled and shown, never exported or alerted: their owner does
// that.
package shard

import (
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// BorrowedTag marks a borrowed asset in the split config, so the poller's
// own screen (and a tag filter) tells it from an owned one.
const BorrowedTag = "shard:borrowed"

// Hashmod is Prometheus's relabel hashmod of name with modulus n: the md5
// digest's last 8 bytes as a big-endian integer, modulo n
// (prometheus/model/relabel). n must be > 0.
func Hashmod(name string, n uint64) uint64 {
	sum := md5.Sum([]byte(name))
	return binary.BigEndian.Uint64(sum[8:]) % n
}

// Plan is what a poller was told to own: shard Shard of Shards (Shards 0:
// not sharded, it owns everything) at site Site ("" for none).
type Plan struct {
	Shard, Shards int
	Site          string
}

// ErrPlan is a plan that cannot be followed (bad flags).
var ErrPlan = errors.New("bad shard plan")

// Sharded reports whether the plan splits the estate.
func (p Plan) Sharded() bool { return p.Shards > 0 }

// Owns reports whether this poller owns the asset or service called name.
func (p Plan) Owns(name string) bool {
	return !p.Sharded() || Hashmod(name, uint64(p.Shards)) == uint64(p.Shard)
}

// OwnsFunc is Owns for a sharded plan, nil (everything is owned) for an
// unsharded one: what the exporter and the notifier take.
func (p Plan) OwnsFunc() func(name string) bool {
	if !p.Sharded() {
		return nil
	}
	return p.Owns
}

// Labels are the constant labels of everything the poller exports and
// alerts: site when set, shard when sharded; nil for neither.
func (p Plan) Labels() map[string]string {
	var l map[string]string
	if p.Site != "" {
		l = map[string]string{"site": p.Site}
	}
	if p.Sharded() {
		if l == nil {
			l = map[string]string{}
		}
		l["shard"] = strconv.Itoa(p.Shard)
	}
	return l
}

// Check says what is wrong with the plan, wrapping ErrPlan; nil when it
// can be followed. The messages name the flags (--shard, --shards,
// --site) that set the plan.
func (p Plan) Check() error {
	switch {
	case p.Shards < 0:
		return fmt.Errorf("%w: --shards %d: want at least 1", ErrPlan, p.Shards)
	case p.Shard < 0:
		return fmt.Errorf("%w: --shard %d: want 0 or more", ErrPlan, p.Shard)
	case p.Shards > MaxShards:
		return fmt.Errorf("%w: --shards %d: at most %d", ErrPlan, p.Shards, MaxShards)
	case p.Shards > 0 && p.Shard >= p.Shards:
		return fmt.Errorf("%w: --shard %d: want 0 to %d (--shards %d counts from 0)", ErrPlan, p.Shard, p.Shards-1, p.Shards)
	}
	return checkSite(p.Site)
}

// MaxShards bounds --shards: far more pollers than an estate of 50,000
// assets needs, and it keeps `noctop shards` output readable.
const MaxShards = 1024

// checkSite says what is wrong with a site name: it becomes a label value
// and a prefix ("site/asset") in the estate-wide view, so it is kept to
// letters, digits, '.', '_' and '-'.
func checkSite(site string) error {
	for i, r := range site {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("%w: --site %q: character %q at %d: use letters, digits, '.', '_' and '-'", ErrPlan, site, r, i)
		}
	}
	if len(site) > maxSite {
		return fmt.Errorf("%w: --site: %d bytes, at most %d", ErrPlan, len(site), maxSite)
	}
	return nil
}

const maxSite = 64
