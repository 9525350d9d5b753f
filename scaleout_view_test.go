package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"noctop/estate"
	"noctop/model"
	"noctop/promtest"
	"noctop/shard"
)

// The recipe on issue 14's parts: sharded pollers, the alertmanager
// receiver posting to every member (`urls`), and the view's own fetch.

// ownerShard is the shard owning an asset: hashmod(name) over 2 shards.
func ownerShard(name string) int { return int(shard.Hashmod(name, 2)) }

// pollerArgs are a poller's flags: site lab, its shard of 2.
func pollerArgs(i int) []string {
	return []string{"--site", "lab", "--shard", fmt.Sprint(i), "--shards", "2"}
}

// notifyCluster is the pollers' Alertmanager receiver: every replica
// posts to every member, as Prometheus does.
func notifyCluster(_ int, ams []string) string {
	return fmt.Sprintf("\n[[notify]]\nname = \"alertmanager\"\ntype = \"alertmanager\"\nurls = [%q, %q, %q]\n", ams[0], ams[1], ams[2])
}

// recordedSeries are the recording rules to see recorded: all of them.
func recordedSeries() []string {
	return []string{"site:noctop_assets:max", "site_role:noctop_assets:sum",
		"noctop:service_up:max", "service:noctop_availability:ratio_1d", "service:noctop_availability:ratio_30d"}
}

// viewSource is where the view reads.
type viewSource struct{ prom, am string }

// fetch is the view's estate.Fetch: every asset of the estate, with the
// site's staleness as the view shows it (UNKNOWN, "site lab stale: ...").
func (v viewSource) fetch(ctx context.Context) (map[string]viewAsset, error) {
	snap, _, err := estate.Fetch(ctx, estate.Source{Prom: v.prom, AM: v.am})
	if err != nil {
		return nil, err
	}
	out := map[string]viewAsset{}
	for _, a := range snap.Assets {
		if _, dup := out[a.Name]; dup {
			return nil, fmt.Errorf("asset %s twice in the view", a.Name)
		}
		out[a.Name] = viewAsset{
			status: a.Status, reason: a.Reason,
			stale: a.Status == model.StatusUnknown && strings.Contains(a.Reason, "site lab stale"),
		}
	}
	return out, nil
}

// dist/scaleout/run.sh itself: it brings up 4 pollers that Prometheus
// scrapes (together every lab asset, once each after merging the pairs),
// an Alertmanager cluster of 3, and SIGINT stops all of it and removes
// its directory.
func TestScaleoutRunScript(t *testing.T) {
	promtest.Need(t, "NOCTOP_REQUIRE_PROMETHEUS", "prometheus", "prometheus")
	promtest.Need(t, "NOCTOP_REQUIRE_ALERTMANAGER", "prometheus-alertmanager", "prometheus-alertmanager", "alertmanager")
	cmd := exec.Command("bash", filepath.Join(scaleoutDir, "run.sh"))
	cmd.Env = append(os.Environ(), "NOCTOP="+binPath, "OUTAGE=0", "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &promtest.LockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGINT)
			_ = cmd.Wait()
		}
	})
	watchdog := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Signal(syscall.SIGINT) })
	defer watchdog.Stop()
	var prom, work string
	var ams []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "prometheus":
			prom = f[1]
		case len(f) == 4 && f[0] == "alertmanager":
			ams = f[1:]
		case strings.Contains(sc.Text(), "files and logs in "):
			work = strings.TrimSuffix(strings.SplitN(sc.Text(), "files and logs in ", 2)[1], "):")
		}
		if strings.HasPrefix(sc.Text(), "Ctrl-C stops everything") {
			break
		}
	}
	if prom == "" || len(ams) != 3 || work == "" {
		t.Fatalf("run.sh did not come up: prometheus %q, alertmanagers %q, directory %q\n%s", prom, ams, work, stderr.String())
	}
	cfg, err := model.Load(filepath.Join(work, "lab.toml"))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "4 pollers up and every lab asset in Prometheus", func() string {
		up, err := promQuery(t.Context(), prom, `up{job="noctop"} == 1`)
		if err != nil {
			return err.Error()
		}
		assets, err := promQuery(t.Context(), prom, `count(max without (instance) (noctop_asset_status))`)
		if err != nil {
			return err.Error()
		}
		if len(up) != 4 || len(assets) != 1 || assets[0].Value != float64(len(cfg.Assets)) {
			return fmt.Sprintf("up %v, assets %v, want 4 and %d", up, assets, len(cfg.Assets))
		}
		return ""
	})
	resp, err := http.Get(ams[0] + "/api/v2/status")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Cluster struct {
			Peers []struct{ Address string } `json:"peers"`
		} `json:"cluster"`
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || len(st.Cluster.Peers) != 3 {
		t.Errorf("Alertmanager cluster: %v, %+v, want 3 peers", err, st.Cluster)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if _, err := os.Stat(work); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run.sh left %s: %v", work, err)
	}
	if _, err := http.Get(prom + "/-/ready"); err == nil {
		t.Errorf("Prometheus still answers at %s after SIGINT", prom)
	}
}
