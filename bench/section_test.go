package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestReplaceSectionKeepsTheRestByteForByte(t *testing.T) {
	// Hand-written parts with what a careless rewrite would lose: CRLF,
	// trailing spaces, tabs, no final newline, text on the end marker's line.
	head := "# Benchmarks\r\n\r\nIntro with trailing space \n\t- tabbed\n" + beginMark + "\n"
	foot := endMark + " trailing words\n\n## Hand-written\n\nfigures | kept  \nno final newline"
	doc := []byte(head + "old generated\ntext\n" + foot)
	for _, tc := range []struct{ name, body, want string }{
		{"new body", "## Whole processes\n\n| a | b |\n", "## Whole processes\n\n| a | b |\n"},
		{"body without a final newline gets one", "one line", "one line\n"},
		{"empty body", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := replaceSection(doc, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if want := head + tc.want + foot; string(got) != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
			// Rewriting again with the same body changes nothing.
			again, err := replaceSection(got, []byte(tc.body))
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("second rewrite differs: %q, %v", again, err)
			}
		})
	}
}

func TestReplaceSectionRefuses(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		{"no markers", "# Benchmarks\n"},
		{"no begin marker", "text\n" + endMark + "\n"},
		{"no end marker", beginMark + "\ntext\n"},
		{"end before begin", endMark + "\n" + beginMark + "\n"},
		{"begin marker twice", beginMark + "\n" + beginMark + "\n" + endMark + "\n"},
		{"end marker twice", beginMark + "\n" + endMark + "\n" + endMark + "\n"},
		{"begin marker on the last line", "text\n" + beginMark},
		{"end marker inside a line", beginMark + "\ntext " + endMark + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := replaceSection([]byte(tc.doc), []byte("body\n")); !errors.Is(err, errMarkers) {
				t.Errorf("replaceSection(%q) = %q, %v; want errMarkers", tc.doc, out, err)
			}
		})
	}
}

// The repository's BENCHMARKS.md has the markers, once each, so that
// --write has a place to write; a rewrite leaves everything outside them.
func TestBenchmarksMarkdownHasTheSection(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	doc, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := replaceSection(doc, []byte("X\n"))
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(doc, []byte(beginMark))
	end := bytes.Index(doc, []byte(endMark))
	before, after := doc[:bytes.IndexByte(doc[begin:], '\n')+begin+1], doc[end:]
	if want := string(before) + "X\n" + string(after); string(out) != want {
		t.Error("rewrite touched text outside the markers")
	}
	if !strings.Contains(string(doc[begin:end]), "## Whole processes") {
		t.Error("the generated section holds no report: run go run ./bench --write")
	}
}
