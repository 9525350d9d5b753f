package model

import (
	"errors"
	"slices"
	"strconv"
)

// ErrUnknownLink is a link that names no asset.
var ErrUnknownLink = errors.New("unknown link")

// linkRefs checks an asset's links on their own (no self-link, no name
// twice) and keeps them, with where each is, for links (the names are
// known only once every asset is read).
func (v *validator) linkRefs(ref *assetRef, a *Asset, base string) {
	if len(a.Links) == 0 {
		return
	}
	ref.links = a.Links
	ref.linksAt = make([]int32, len(a.Links))
	for k, n := range a.Links {
		path := base + ".links." + strconv.Itoa(k)
		ref.linksAt[k] = int32(v.ix.at(path))
		switch {
		case n == a.Name:
			v.errf(path, ErrInvalid, "asset %q: links names the asset itself (links name the applications it talks to)", a.Name)
		case slices.Index(a.Links, n) < k:
			v.errf(path, ErrInvalid, "asset %q: %q is listed twice in links", a.Name, n)
		}
	}
}

// links reports links that name no asset.
func (v *validator) links(isAsset func(string) bool) {
	for i, r := range v.refs {
		for k, n := range r.links {
			if n != r.name && !isAsset(n) {
				v.add("asset."+strconv.Itoa(i)+".links."+strconv.Itoa(k), int(r.linksAt[k]), ErrUnknownLink, "asset %q: link %q is not an asset", r.name, n)
			}
		}
	}
}
