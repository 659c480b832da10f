// Command chart draws BenchmarkTalk's results as an SVG chart: ns/op against
// directory size for each engine, both axes on a log scale. It reads the
// output of go test -bench and writes the SVG to standard output, or to the
// file named by -o. Each argument, "file" or "label=file", is one run: the
// first is drawn in solid lines, a second in dashed ones, a third in dotted
// ones, and the labels name them in the legend; with no argument it reads
// one run from standard input. Where a benchmark appears several times in a
// run (-count), it plots the median.
//
//	go test -run '^$' -bench . -benchmem > results.txt
//	go run ./cmd/chart -o talk.svg results.txt
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command, minus the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the SVG to this file instead of standard output")
	title := fs.String("title", "CanTalk: time per decision against directory size", "the chart's title")
	note := fs.String("note", "", "a line under the title: the machine, the run")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var runs []benchRun
	if fs.NArg() == 0 {
		p, err := parse(stdin)
		if err != nil {
			fmt.Fprintln(stderr, "chart:", err)
			return 1
		}
		runs = append(runs, benchRun{curves: series(p)})
	}
	if fs.NArg() > len(dashes) {
		fmt.Fprintf(stderr, "chart: at most %d runs\n", len(dashes))
		return 2
	}
	for _, arg := range fs.Args() {
		label, name, ok := strings.Cut(arg, "=")
		if !ok {
			label, name = "", arg
		}
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "chart:", err)
			return 1
		}
		p, err := parse(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "chart: %s: %v\n", name, err)
			return 1
		}
		runs = append(runs, benchRun{label: label, curves: series(p)})
	}
	for _, r := range runs {
		if len(r.curves) == 0 {
			fmt.Fprintln(stderr, "chart: no BenchmarkTalk/users=N/engine=E results in a run")
			return 1
		}
	}
	svg := draw(runs, *title, *note)
	if *out == "" {
		_, err := io.WriteString(stdout, svg)
		if err != nil {
			fmt.Fprintln(stderr, "chart:", err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, []byte(svg), 0o644); err != nil {
		fmt.Fprintln(stderr, "chart:", err)
		return 1
	}
	return 0
}

// point is one result line: an engine's ns/op at a directory size.
type point struct {
	engine string
	users  int
	ns     float64
}

var line = regexp.MustCompile(`^BenchmarkTalk/users=(\d+)/engine=(\w+)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// parse reads go test -bench output and returns its BenchmarkTalk results.
func parse(r io.Reader) ([]point, error) {
	var pts []point
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		users, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, err
		}
		ns, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return nil, err
		}
		if users <= 0 || ns <= 0 {
			return nil, errors.New("a result with no users or no time: " + sc.Text())
		}
		pts = append(pts, point{engine: m[2], users: users, ns: ns})
	}
	return pts, sc.Err()
}

// curve is one engine's medians, in increasing order of users.
type curve struct {
	engine string
	pts    []point
}

// benchRun is one benchmark run's curves, with the label the legend gives
// it.
type benchRun struct {
	label  string
	curves []curve
}

// dashes are the line styles of the first, second and third run.
var dashes = []string{"", "7 4", "2 3"}

// engineOrder fixes the legend's order and colours; other engines follow.
var engineOrder = []string{"cedar", "floor", "extlink"}

var colours = map[string]string{"cedar": "#d62728", "floor": "#7f7f7f", "extlink": "#1f77b4"}

// series groups points by engine and size, keeping the median of repeats.
func series(pts []point) []curve {
	byKey := map[string]map[int][]float64{}
	for _, p := range pts {
		if byKey[p.engine] == nil {
			byKey[p.engine] = map[int][]float64{}
		}
		byKey[p.engine][p.users] = append(byKey[p.engine][p.users], p.ns)
	}
	var engines []string
	for e := range byKey {
		engines = append(engines, e)
	}
	slices.SortFunc(engines, func(a, b string) int {
		ia, ib := slices.Index(engineOrder, a), slices.Index(engineOrder, b)
		if ia < 0 {
			ia = len(engineOrder)
		}
		if ib < 0 {
			ib = len(engineOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	var cs []curve
	for _, e := range engines {
		c := curve{engine: e}
		for users, ns := range byKey[e] {
			c.pts = append(c.pts, point{engine: e, users: users, ns: median(ns)})
		}
		slices.SortFunc(c.pts, func(a, b point) int { return a.users - b.users })
		cs = append(cs, c)
	}
	return cs
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// The chart's geometry, in SVG user units.
const (
	width, height            = 760, 460
	left, right, top, bottom = 80, 190, 70, 60
)

// draw returns the SVG for the runs: log-scaled axes spanning the data with
// a margin, a grid line and label at each power of ten, one polyline with
// markers per engine and run (colour for the engine, dashes for the run),
// the first run's values written by its markers, and a legend.
func draw(runs []benchRun, title, note string) string {
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		for _, c := range r.curves {
			for _, p := range c.pts {
				xlo, xhi = math.Min(xlo, float64(p.users)), math.Max(xhi, float64(p.users))
				ylo, yhi = math.Min(ylo, p.ns), math.Max(yhi, p.ns)
			}
		}
	}
	// A margin around the points; grid lines at the powers of ten inside.
	x0, x1 := math.Log10(xlo)-0.5, math.Log10(xhi)+0.5 // room for the labels
	y0, y1 := math.Log10(ylo)-0.3, math.Log10(yhi)+0.3
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	px := func(users float64) float64 { return left + (math.Log10(users)-x0)/(x1-x0)*pw }
	py := func(ns float64) float64 { return top + (y1-math.Log10(ns))/(y1-y0)*ph }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="28" font-size="15" font-weight="bold">%s</text>`+"\n", left, escape(title))
	if note != "" {
		fmt.Fprintf(&b, `<text x="%d" y="48" fill="#555">%s</text>`+"\n", left, escape(note))
	}
	for e := math.Ceil(x0); e <= x1; e++ {
		x := px(math.Pow(10, e))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, top, x, height-bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, height-bottom+18, count(math.Pow(10, e)))
	}
	for e := math.Ceil(y0); e <= y1; e++ {
		y := py(math.Pow(10, e))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, y, width-right, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+4, decade(math.Pow(10, e)))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n", left, top, width-left-right, height-top-bottom)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">users in the directory (log scale)</text>`+"\n", left+pw/2, height-18)
	fmt.Fprintf(&b, `<text x="20" y="%.1f" text-anchor="middle" transform="rotate(-90 20 %.1f)">time per decision (log scale)</text>`+"\n", top+ph/2, top+ph/2)

	legend := top + 14
	var engines []string
	var labels []label
	for k, r := range runs {
		for _, c := range r.curves {
			colour := colourOf(c.engine)
			var poly []string
			for _, p := range c.pts {
				poly = append(poly, fmt.Sprintf("%.1f,%.1f", px(float64(p.users)), py(p.ns)))
			}
			dash := ""
			if dashes[k] != "" {
				dash = fmt.Sprintf(` stroke-dasharray="%s"`, dashes[k])
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(poly, " "), colour, dash)
			for _, p := range c.pts {
				x, y := px(float64(p.users)), py(p.ns)
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x, y, colour)
				if k == 0 {
					labels = append(labels, label{x: x, y: y, users: p.users, colour: colour, text: duration(p.ns)})
				}
			}
			if !slices.Contains(engines, c.engine) {
				engines = append(engines, c.engine)
				fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n", width-right+15, legend, width-right+40, legend, colour)
				fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", width-right+46, legend+4, escape(c.engine))
				legend += 20
			}
		}
	}
	placeLabels(&b, labels, xlo)
	if len(runs) > 1 {
		legend += 10
		for k, r := range runs {
			dash := ""
			if dashes[k] != "" {
				dash = fmt.Sprintf(` stroke-dasharray="%s"`, dashes[k])
			}
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="2"%s/>`+"\n", width-right+15, legend, width-right+40, legend, dash)
			fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", width-right+46, legend+4, escape(r.label))
			legend += 20
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// label is a value written by its marker.
type label struct {
	x, y   float64 // the marker
	users  int
	colour string
	text   string
}

// placeLabels writes the labels: left of the markers at the smallest size,
// right of the others, a little below, and moved apart where two at one size
// would overlap.
func placeLabels(b *strings.Builder, labels []label, xlo float64) {
	slices.SortFunc(labels, func(a, b label) int {
		if a.users != b.users {
			return a.users - b.users
		}
		return int(math.Copysign(1, a.y-b.y))
	})
	const gap = 13 // a line of 11-point text
	last, lastUsers := math.Inf(-1), -1
	for _, l := range labels {
		y := l.y + 12
		if float64(l.users) == xlo {
			y = l.y + 4
		}
		if l.users == lastUsers && y < last+gap {
			y = last + gap
		}
		last, lastUsers = y, l.users
		if float64(l.users) == xlo {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s" font-size="11" text-anchor="end">%s</text>`+"\n", l.x-7, y, l.colour, l.text)
		} else {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s" font-size="11">%s</text>`+"\n", l.x+7, y, l.colour, l.text)
		}
	}
}

// colourOf returns the colour of an engine's curves.
func colourOf(engine string) string {
	if c, ok := colours[engine]; ok {
		return c
	}
	return "#2ca02c"
}

// count formats a power of ten as 1k, 10k, 1M.
func count(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// decade formats a power of ten of nanoseconds: "100 ns", "1 µs".
func decade(ns float64) string {
	switch {
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'f', -1, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'f', -1, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'f', -1, 64) + " ns"
}

// duration formats nanoseconds as "52 ns", "3.2 µs", "10 µs" or "1.1 ms":
// two significant digits, or whole units from ten up.
func duration(ns float64) string {
	v, unit := ns, " ns"
	switch {
	case ns >= 1e6:
		v, unit = ns/1e6, " ms"
	case ns >= 1e3:
		v, unit = ns/1e3, " µs"
	}
	if unit != " ns" && v < 9.95 { // rounds to 9.9 or less
		return strconv.FormatFloat(v, 'f', 1, 64) + unit
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + unit
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
