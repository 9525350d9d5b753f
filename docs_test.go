package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// README.md and NOTES.md are read by users of this repository alone: what
// they point at must be in it (they pointed at a design file users do not
// have), and config.example.toml is the one sample config (the design
// file's sample did not validate).

// docs are the documents held to these rules.
func docs() []string { return []string{"README.md", "NOTES.md"} }

// outsideRefs returns what doc (named name) points at outside the
// repository: parent paths, the design file, absolute work paths, links to
// missing files and `dir/file` names that do not exist. exists reports
// whether a repository path (or glob) matches a file.
func outsideRefs(name, doc string, exists func(string) bool) []string {
	var out []string
	for _, outside := range []string{"../", "DESIGN.md", "/work/"} {
		if strings.Contains(doc, outside) {
			out = append(out, name+" refers to "+outside+", outside the repository")
		}
	}
	for rest := doc; ; {
		i := strings.Index(rest, "](")
		if i < 0 {
			break
		}
		rest = rest[i+2:]
		target, _, _ := strings.Cut(rest, ")")
		if strings.Contains(target, "://") || strings.HasPrefix(target, "#") {
			continue
		}
		if file, _, _ := strings.Cut(target, "#"); !exists(file) {
			out = append(out, name+" links to "+target+", which is not in the repository")
		}
	}
	// Code spans naming a repository path: `probes/neterr.go`, `lab/`,
	// `cmd_*.go`. Paths of the user's machine (/etc, ~, $XDG_..., ./x)
	// are not the repository's.
	code := regexp.MustCompile("`([^`\\s]+)`")
	for _, m := range code.FindAllStringSubmatch(doc, -1) {
		p, _, _ := strings.Cut(m[1], ":") // file:line
		if p == "" || strings.ContainsAny(p[:1], "/~$-") || strings.HasPrefix(p, "./") {
			continue
		}
		first, _, nested := strings.Cut(p, "/")
		repoDir := nested && exists(first+"/")
		codeFile := !nested && (strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".md"))
		if (repoDir || codeFile) && !exists(p) {
			out = append(out, name+" names "+p+", which is not in the repository")
		}
	}
	return out
}

// inRepo reports whether a path or glob, relative to the repository root
// (the test's directory), matches a file or folder.
func inRepo(p string) bool {
	m, err := filepath.Glob(strings.TrimSuffix(p, "/"))
	return err == nil && len(m) > 0
}

func TestDocsStayInTheRepository(t *testing.T) {
	for _, name := range docs() {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range outsideRefs(name, string(b), inRepo) {
			t.Error(msg)
		}
	}
}

func TestOutsideRefs(t *testing.T) {
	exists := func(p string) bool {
		return slices.Contains([]string{"probes/", "probes/http.go", "NOTES.md", "cmd_*.go", "main.go"}, p)
	}
	doc := "See DESIGN.md and [the notes](NOTES.md), [gone](OLD.md#top), [web](https://example.com), [here](#layout).\n" +
		"`probes/http.go` and `main.go` and `cmd_*.go` exist; `probes/neterr.go` and `old.go` do not.\n" +
		"`probes/http.go:55-72` is a line range; `probes/gone.go:3` is not there.\n" +
		"`/etc/resolv.conf`, `~/.config/noctop/config.toml`, `./noctop.toml`, `--config` and `web/x` are not repository paths.\n"
	want := []string{
		"X.md refers to DESIGN.md, outside the repository",
		"X.md links to OLD.md#top, which is not in the repository",
		"X.md names probes/neterr.go, which is not in the repository",
		"X.md names old.go, which is not in the repository",
		"X.md names probes/gone.go, which is not in the repository",
	}
	if got := outsideRefs("X.md", doc, exists); !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// tomlBlocks returns the ```toml blocks of a Markdown document.
func tomlBlocks(doc string) []string {
	var out []string
	for rest := doc; ; {
		_, after, ok := strings.Cut(rest, "```toml\n")
		if !ok {
			return out
		}
		block, tail, _ := strings.Cut(after, "```")
		out = append(out, block)
		rest = tail
	}
}

// The one sample, and any config the documents show, pass `noctop validate`.
func TestDocumentedConfigsValidate(t *testing.T) {
	if _, stderr, code := runBin(t, nil, "validate", "-c", "config.example.toml"); code != 0 {
		t.Errorf("noctop validate -c config.example.toml: exit %d\n%s", code, stderr)
	}
	for _, name := range docs() {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, block := range tomlBlocks(string(b)) {
			if _, stderr, code := runBin(t, nil, "validate", "-c", writeConfig(t, block)); code != 0 {
				t.Errorf("%s, toml block %d: noctop validate: exit %d\n%s", name, i+1, code, stderr)
			}
		}
	}
}

// A snippet with keys validate rejects (the design file's sample had these)
// is found and fails.
func TestTomlBlocksAreValidated(t *testing.T) {
	doc := "Intro.\n```toml\n[[asset]]\nname = \"a\"\nlayer = \"technical\"\naddress = \"127.0.0.1\"\n```\n" +
		"More.\n```sh\nnoctop check\n```\n```toml\n[[notify]]\nname = \"hook\"\n[[maintenance]]\nasset = \"a\"\n```\n"
	blocks := tomlBlocks(doc)
	if len(blocks) != 2 {
		t.Fatalf("%d toml blocks, want 2: %q", len(blocks), blocks)
	}
	_, stderr, code := runBin(t, nil, "validate", "-c", writeConfig(t, blocks[1]))
	if code == 0 || !strings.Contains(stderr, "notify") || !strings.Contains(stderr, "maintenance") {
		t.Errorf("the design file's keys: exit %d\n%s", code, stderr)
	}
}

// A merge that left its conflict markers in a document still builds and
// passes every other test (it happened in BENCHMARKS.md and NOTES.md);
// code with them does not compile, so the documents are what to read.
func TestNoConflictMarkers(t *testing.T) {
	marker := regexp.MustCompile(`(?m)^(<<<<<<<|>>>>>>>) |^=======$`)
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("*/*.md")
	for _, name := range append(append(files, more...), "config.example.toml") {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if loc := marker.FindIndex(b); loc != nil {
			t.Errorf("%s:%d: a merge's conflict marker", name, 1+strings.Count(string(b[:loc[0]]), "\n"))
		}
	}
}
