package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// The scale-out recipe end to end (issue 14): with one Alertmanager of the
// cluster and one replica of the shard owning core-sw1 killed as core-sw1
// fails, the view never loses an asset, core-sw1's group (the root cause's
// page) reaches the webhook exactly once, and when every poller of the site is gone the view shows
// the site stale as soon as Prometheus has scraped them once since.
//
// The view and the pollers' flags come from scaleout_view_test.go: the
// sharded pollers (--site/--shard), `urls` for the Alertmanager cluster
// and estate.Fetch.
func TestScaleoutRecipe(t *testing.T) {
	hook := startWebhook(t)
	ams, amURLs := alertmanagers(t, 3, hook.srv.URL)
	l, labCfg := startLab(t)
	cfg, err := model.Load(labCfg)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range cfg.Assets {
		want = append(want, a.Name)
	}
	pollers := startPollers(t, labCfg, func(replica int) string { return notifyCluster(replica, amURLs) })
	_, prom := startPrometheus(t, pollers, amURLs)
	src := viewSource{prom: prom, am: amURLs[1]}

	// Every asset in the view, each once.
	eventually(t, "every lab asset in the view", func() string {
		got, err := src.fetch(t.Context())
		if err != nil {
			return err.Error()
		}
		return missing(want, got)
	})

	// The recording rules have something to record.
	for _, rec := range recordedSeries() {
		eventually(t, "series of the recording rule "+rec, func() string {
			got, err := promQuery(t.Context(), prom, rec)
			if err != nil {
				return err.Error()
			}
			if len(got) == 0 {
				return "none yet"
			}
			return ""
		})
	}

	// The failures: an Alertmanager, a replica of core-sw1's owner, and
	// then core-sw1 itself.
	ams[0].kill()
	owner := ownerShard(lab.CoreSwitch)
	var victim *poller
	for _, p := range pollers {
		if p.shard == owner {
			victim = p
			break
		}
	}
	victim.kill()
	killedAt := time.Now()
	if got := hook.groupNotes(lab.CoreSwitch, time.Time{}); len(got) > 0 {
		t.Fatalf("core-sw1 notified before its outage: %+v", got)
	}
	if err := l.SetHealthy(lab.CoreSwitch, false); err != nil {
		t.Fatal(err)
	}

	// No gap: every fetch from before Prometheus noticed the kill until
	// the root cause was notified has every asset.
	fetches := 0
	eventually(t, "the replica's death seen by Prometheus and core-sw1's alert at the webhook", func() string {
		got, err := src.fetch(t.Context())
		if err != nil {
			return err.Error()
		}
		fetches++
		if m := missing(want, got); m != "" {
			t.Fatalf("fetch %d after killing %s: %s", fetches, victim.name, m)
		}
		up, err := promQuery(t.Context(), prom, `up{job="noctop",instance="`+victim.metrics+`"} == 0`)
		switch {
		case err != nil:
			return err.Error()
		case len(up) == 0:
			return "Prometheus still has " + victim.name + " up"
		case len(hook.groupNotes(lab.CoreSwitch, killedAt)) == 0:
			return "no notification for core-sw1 yet"
		}
		return ""
	})
	t.Logf("%d view fetches across the kill of %s, every asset in each; core-sw1 notified %s after the kill",
		fetches, victim.name, time.Since(killedAt).Round(100*time.Millisecond))

	// The view tells the story the pollers judged.
	eventually(t, "core-sw1 CRITICAL and the shop UNREACHABLE in the view", func() string {
		got, err := src.fetch(t.Context())
		if err != nil {
			return err.Error()
		}
		if got[lab.CoreSwitch].status != model.StatusCritical || got[lab.WebShop].status != model.StatusUnreachable {
			return fmt.Sprintf("core-sw1 %+v, web-shop %+v", got[lab.CoreSwitch], got[lab.WebShop])
		}
		return ""
	})

	// Exactly one notification: wait as long as the last member of the
	// cluster would before sending one itself (its position x the peer
	// timeout), and a group_wait more.
	time.Sleep(3*amPeerTimeout + 2*time.Second)
	if got := hook.groupNotes(lab.CoreSwitch, killedAt); len(got) != 1 || got[0].Status != "firing" {
		t.Errorf("notifications for core-sw1: %+v, want exactly one, firing\nall: %+v", got, hook.all())
	}
	for key, n := range hook.copies() {
		if n > 1 {
			t.Errorf("%d identical notifications %s: the cluster did not deduplicate", n, key)
		}
	}

	// The whole site gone: stale once every target has been scraped (and
	// failed) since the kill, which is within one scrape interval.
	for _, p := range pollers {
		p.kill()
	}
	goneAt := time.Now()
	eventually(t, "a failed scrape of every poller", func() string {
		up, err := promQuery(t.Context(), prom, `timestamp(up{job="noctop"} == 0)`)
		if err != nil {
			return err.Error()
		}
		scraped := 0
		for _, s := range up {
			if s.Value > float64(goneAt.UnixMilli())/1000 {
				scraped++
			}
		}
		if scraped < len(pollers) {
			return "not every poller scraped since the kill yet"
		}
		return ""
	})
	got, err := src.fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if m := missing(want, got); m != "" {
		t.Errorf("stale site: %s", m)
	}
	for name, a := range got {
		if !a.stale {
			t.Errorf("%s after every poller died: %+v, want stale", name, a)
		}
	}
	t.Logf("site stale in the view %s after its last poller died (scrape interval %s)", time.Since(goneAt).Round(100*time.Millisecond), scaleoutScrape)
}

// viewAsset is what the tests read of an asset in the view.
type viewAsset struct {
	status model.Status
	reason string
	stale  bool
}

// missing says which of want the view lacks ("" none).
func missing(want []string, got map[string]viewAsset) string {
	var lack []string
	for _, n := range want {
		if _, ok := got[n]; !ok {
			lack = append(lack, n)
		}
	}
	if len(lack) == 0 {
		return ""
	}
	slices.Sort(lack)
	return "the view lacks " + strings.Join(lack, ", ")
}
