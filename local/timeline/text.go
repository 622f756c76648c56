package timeline

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lambda-durable/durable/checkpoint"
)

// TextOptions tunes WriteText.
type TextOptions struct {
	// Width is the width of the Gantt bars in characters (default 40); a
	// negative width leaves the bars out.
	Width int
	// Now ends the bars of operations that have not ended (default: the
	// latest instant the timeline mentions).
	Now time.Time
}

// The characters of the Gantt bars.
const (
	barDone    = '█' // the operation (or a step attempt, or an invocation) ran
	barOpen    = '░' // the operation has not ended yet
	barBetween = '·' // a step between two attempts
	maxLabel   = 48
	maxError   = 120
)

// WriteText writes the timeline as aligned text: a header line, then one
// row per operation in a box-drawing tree with its kind, status, attempts,
// duration and a Gantt bar scaled to the execution's span, then the
// operation's error if it has one.
func (t *Timeline) WriteText(w io.Writer, opts TextOptions) error {
	width := opts.Width
	if width == 0 {
		width = 40
	}
	first, last := t.bounds()
	now := opts.Now
	if now.IsZero() || now.Before(last) {
		now = last
	}
	sc := scale{t0: first, t1: now, width: width}

	type row struct {
		label, kind, status, attempts, dur, bar, err string
	}
	var rows []row
	var walk func(spans []*Span, prefix string)
	walk = func(spans []*Span, prefix string) {
		for i, s := range spans {
			branch, next := "├── ", "│   "
			if i == len(spans)-1 {
				branch, next = "└── ", "    "
			}
			r := row{
				label:  truncate(prefix+branch+clean(s.Label()), maxLabel),
				kind:   clean(s.Kind()),
				status: clean(string(s.Status)),
				dur:    formatDuration(s.Duration(now)),
				err:    truncate(clean(firstLine(s.Error)), maxError),
			}
			if s.Type == checkpoint.TypeStep && s.Attempts > 0 {
				r.attempts = strconv.Itoa(s.Attempts)
			}
			if width > 0 {
				r.bar = sc.spanBar(s)
			}
			rows = append(rows, r)
			walk(s.Children, prefix+next)
		}
	}
	walk(t.Roots, "")
	if len(t.Invocations) > 0 {
		r := row{label: "(" + plural(len(t.Invocations), "invocation") + ")"}
		if width > 0 {
			bar := sc.blank()
			for _, inv := range t.Invocations {
				sc.fill(bar, inv.Start, inv.End, barDone)
			}
			r.bar = string(bar)
		}
		rows = append(rows, r)
	}

	head := row{label: "OPERATION", kind: "KIND", status: "STATUS", attempts: "ATTEMPTS", dur: "DURATION"}
	if width > 0 {
		head.bar = sc.axis(formatDuration(now.Sub(first)))
	}
	var cw [5]int
	for _, r := range append([]row{head}, rows...) {
		for i, c := range []string{r.label, r.kind, r.status, r.attempts, r.dur} {
			cw[i] = max(cw[i], utf8.RuneCountInString(c))
		}
	}

	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, t.header(first, now, true))
	line := func(r row, sep string) {
		var b strings.Builder
		for i, c := range []string{r.label, r.kind, r.status, r.attempts, r.dur} {
			b.WriteString(pad(c, cw[i]))
			b.WriteString("  ")
		}
		if width > 0 {
			b.WriteString(sep + r.bar + sep)
		}
		if r.err != "" {
			b.WriteString("  " + r.err)
		}
		fmt.Fprintln(bw, strings.TrimRight(b.String(), " "))
	}
	line(head, " ")
	for _, r := range rows {
		line(r, "│")
	}
	return bw.Flush()
}

// header summarises the execution in one line; withStart adds the start
// date.
func (t *Timeline) header(first, now time.Time, withStart bool) string {
	parts := []string{}
	if t.Name != "" {
		parts = append(parts, clean(t.Name))
	}
	if t.Status != "" {
		parts = append(parts, clean(t.Status))
	}
	if !first.IsZero() {
		if withStart {
			parts = append(parts, "started "+first.UTC().Format(time.RFC3339))
		}
		if t.End.IsZero() {
			// Still running: how long so far, never a "took" that reads as final.
			parts = append(parts, "running for "+formatDuration(now.Sub(first)))
		} else {
			parts = append(parts, "took "+formatDuration(t.End.Sub(first)))
		}
	}
	if n := len(t.Invocations); n > 0 {
		parts = append(parts, plural(n, "invocation"))
	}
	if len(parts) == 0 {
		return "(empty timeline)"
	}
	return strings.Join(parts, "  ")
}

// scale maps instants to bar columns.
type scale struct {
	t0, t1 time.Time
	width  int
}

func (sc scale) blank() []rune {
	return []rune(strings.Repeat(" ", sc.width))
}

// pos returns where ts falls on the bar, in columns from its left edge
// (0 to width).
func (sc scale) pos(ts time.Time) float64 {
	span := sc.t1.Sub(sc.t0)
	if span <= 0 || ts.Before(sc.t0) {
		return 0
	}
	return min(float64(ts.Sub(sc.t0))/float64(span), 1) * float64(sc.width)
}

// fill paints the columns the interval from start to end covers with r, at
// least one column.
func (sc scale) fill(bar []rune, start, end time.Time, r rune) {
	if end.IsZero() || end.Before(start) {
		end = start
	}
	c0 := min(int(math.Floor(sc.pos(start))), sc.width-1)
	c1 := min(int(math.Ceil(sc.pos(end)))-1, sc.width-1)
	for c := c0; c <= max(c0, c1); c++ {
		bar[c] = r
	}
}

// spanBar draws one operation.
func (sc scale) spanBar(s *Span) string {
	bar := sc.blank()
	end, open := s.End, s.End.IsZero()
	if open {
		end = sc.t1
	}
	if len(s.Runs) == 0 {
		r := barDone
		if open {
			r = barOpen
		}
		sc.fill(bar, s.Start, end, r)
		return string(bar)
	}
	sc.fill(bar, s.Start, end, barBetween)
	for _, run := range s.Runs {
		if run.End.IsZero() {
			sc.fill(bar, run.Start, sc.t1, barOpen)
			continue
		}
		sc.fill(bar, run.Start, run.End, barDone)
	}
	return string(bar)
}

// axis labels the bar column: 0s at the left, total at the right.
func (sc scale) axis(total string) string {
	left := "0s"
	gap := sc.width - utf8.RuneCountInString(left) - utf8.RuneCountInString(total)
	if gap < 1 {
		return pad(left, sc.width)
	}
	return left + strings.Repeat(" ", gap) + total
}

// formatDuration renders d rounded to the millisecond (to the second above
// a minute).
func formatDuration(d time.Duration) string {
	if d >= time.Minute {
		d = d.Round(time.Second)
	} else {
		d = d.Round(time.Millisecond)
	}
	return d.String()
}

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// clean replaces control characters, which would break the layout.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
