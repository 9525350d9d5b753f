package main

import (
	"fmt"
	"strings"
)

// measured is one process's figures over the rounds.
type measured struct {
	label          string // Markdown: the command
	short          string // in the ratio row: "noctop", "fping"
	wall, cpu, rss series // seconds, seconds, MiB
	extra          []string
}

// add records one round.
func (m *measured) add(u usage) {
	m.wall = append(m.wall, u.wall)
	m.cpu = append(m.cpu, u.cpu())
	m.rss = append(m.rss, u.rssMiB())
}

// comparison is one table of the report: processes side by side, and the
// ratio of the first to the reference.
type comparison struct {
	title     string
	intro     string // what was run, in prose and commands
	extraCols []string
	rows      []measured
	ref       int // index of the reference row; -1: no ratio row
	notes     []string
}

// markdown renders the table: median (min-max) of each figure, and a ratio
// row, rows[0] / rows[ref], from each round's pair.
func (c comparison) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", c.title)
	if c.intro != "" {
		fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(c.intro))
	}
	head := append([]string{"process", "wall s", "CPU s (user+sys)", "peak RSS MiB"}, c.extraCols...)
	b.WriteString(tableRow(head))
	b.WriteString(tableRow(append([]string{"---"}, repeat("---:", len(head)-1)...)))
	for _, r := range c.rows {
		cells := []string{r.label, cell(r.wall, sig3, ""), cell(r.cpu, sig3, ""), cell(r.rss, sig3, "")}
		cells = append(cells, r.extra...)
		for len(cells) < len(head) {
			cells = append(cells, "")
		}
		b.WriteString(tableRow(cells))
	}
	if c.ref >= 0 && c.ref < len(c.rows) && c.ref != 0 {
		a, ref := c.rows[0], c.rows[c.ref]
		cells := []string{fmt.Sprintf("**%s / %s**", a.short, ref.short),
			ratioCell(a.wall, ref.wall), ratioCell(a.cpu, ref.cpu), ratioCell(a.rss, ref.rss)}
		b.WriteString(tableRow(append(cells, repeat("", len(head)-len(cells))...)))
	}
	b.WriteString("\n")
	for _, n := range c.notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	if len(c.notes) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// ratioCell is the median of the rounds' ratios a[i]/b[i] with their
// range, or "–" when they cannot be formed.
func ratioCell(a, b series) string {
	r, err := ratios(a, b)
	if err != nil {
		return "–"
	}
	return cell(r, ratioText, "x")
}

// ratioMedian is the median of the rounds' ratios (0 if none).
func ratioMedian(a, b series) float64 {
	r, err := ratios(a, b)
	if err != nil {
		return 0
	}
	m, _ := r.median()
	return m
}

func tableRow(cells []string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

func repeat(s string, n int) []string {
	out := make([]string, max(n, 0))
	for i := range out {
		out[i] = s
	}
	return out
}

// goalText is "met" or "not met" after a figure and its goal.
func goalText(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// mibToMB converts MiB (what the kernel reports, in KiB) to the MB the
// issue's goals are written in.
const mibToMB = 1.048576
