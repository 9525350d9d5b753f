package estate

import (
	"slices"
	"strconv"
	"strings"

	"noctop/model"
)

// key is an asset (or service) as its poller names it.
type key struct{ Site, Name string }

// viewNames gives each key its name in the view: the poller's name, or
// "site/name" when two sites use the same name. Names from the network
// may still collide ("a/b" of one site and "b" of site "a"): the rest are
// told apart by a " #2", " #3" in key order, so a name in the view is
// always one asset.
func viewNames(keys []key) map[key]string {
	sites := make(map[string]string, len(keys)) // name -> first site, or "\x00" once shared
	for _, k := range keys {
		switch s, ok := sites[k.Name]; {
		case !ok:
			sites[k.Name] = k.Site
		case s != k.Site:
			sites[k.Name] = "\x00"
		}
	}
	out := make(map[key]string, len(keys))
	taken := make(map[string]int, len(keys))
	for _, k := range keys {
		n := k.Name
		if sites[k.Name] == "\x00" {
			n = k.Site + "/" + k.Name
		}
		out[k] = n
		taken[n]++
	}
	seen := map[string]int{}
	for _, k := range keys {
		n := out[k]
		if taken[n] < 2 {
			continue
		}
		seen[n]++
		if i := seen[n]; i > 1 {
			for {
				alt := n + " #" + strconv.Itoa(i)
				if taken[alt] == 0 {
					out[k] = alt
					taken[alt]++
					break
				}
				i++
			}
		}
	}
	return out
}

// Tag prefixes of a view asset: its site and shard, and its name on the
// poller when the view had to prefix it with the site.
const (
	tagSite  = "site:"
	tagShard = "shard:"
	tagAsset = "asset:"
)

// Origin is where a view asset comes from: its site and its name on the
// poller (what Alertmanager's labels say).
func Origin(a *model.AssetState) (site, asset string) {
	asset = a.Name
	for _, t := range a.Tags {
		switch {
		case strings.HasPrefix(t, tagSite):
			site = t[len(tagSite):]
		case strings.HasPrefix(t, tagAsset):
			asset = t[len(tagAsset):]
		}
	}
	return site, asset
}

// tagsOf are the tags of a view asset.
func tagsOf(k key, shard, viewName string) []string {
	tags := []string{tagSite + k.Site, tagShard + shard}
	if viewName != k.Name {
		tags = append(tags, tagAsset+k.Name)
	}
	return tags
}

// splitParents reads noctop_asset_info's parents label (comma-joined).
func splitParents(s string) []string {
	if s == "" {
		return nil
	}
	ps := strings.Split(s, ",")
	ps = slices.DeleteFunc(ps, func(p string) bool { return p == "" })
	return ps
}
