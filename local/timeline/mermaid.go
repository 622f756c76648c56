package timeline

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// MermaidOptions tunes WriteMermaid.
type MermaidOptions struct {
	// Now ends the bars of operations that have not ended (default: the
	// latest instant the timeline mentions).
	Now time.Time
	// Fence wraps the block in a ```mermaid Markdown fence.
	Fence bool
}

// WriteMermaid writes the timeline as a Mermaid gantt chart: one section for
// the top level and one per operation that has children (named by its
// path), one task per operation (done, active while running, crit when it
// failed, a milestone when it took no time), and a section with the
// invocations.
func (t *Timeline) WriteMermaid(w io.Writer, opts MermaidOptions) error {
	first, last := t.bounds()
	now := opts.Now
	if now.IsZero() || now.Before(last) {
		now = last
	}
	bw := bufio.NewWriter(w)
	if opts.Fence {
		fmt.Fprintln(bw, "```mermaid")
	}
	fmt.Fprintln(bw, "gantt")
	title := mermaidText(t.header(first, now, false))
	fmt.Fprintf(bw, "    title %s\n", title)
	fmt.Fprintln(bw, "    dateFormat x")
	fmt.Fprintln(bw, "    axisFormat %H:%M:%S")

	n := 0
	task := func(name, tag string, start, end time.Time) {
		n++
		if end.IsZero() || end.Before(start) {
			end = start
		}
		tags := tag
		if !end.After(start) {
			tags = strings.TrimPrefix(tags+", milestone", ", ")
		}
		if tags != "" {
			tags += ", "
		}
		fmt.Fprintf(bw, "    %s :%st%d, %d, %d\n", name, tags, n, start.UnixMilli(), end.UnixMilli())
	}
	var section func(title string, spans []*Span)
	section = func(title string, spans []*Span) {
		fmt.Fprintf(bw, "    section %s\n", mermaidText(title))
		for _, s := range spans {
			end := s.End
			if end.IsZero() {
				end = now
			}
			name := s.Label() + " (" + s.Kind()
			if s.Type == checkpoint.TypeStep && s.Attempts > 1 {
				name += fmt.Sprintf(", %d attempts", s.Attempts)
			}
			name += ")"
			task(mermaidText(name), mermaidTag(s), s.Start, end)
		}
		for _, s := range spans {
			if len(s.Children) > 0 {
				section(title+" / "+s.Label(), s.Children)
			}
		}
	}
	if len(t.Roots) > 0 {
		section(firstNonEmpty(t.Name, "execution"), t.Roots)
	}
	if len(t.Invocations) > 0 {
		fmt.Fprintln(bw, "    section invocations")
		for i, inv := range t.Invocations {
			tag := "done"
			if inv.Error != "" {
				tag = "crit"
			}
			task(fmt.Sprintf("invocation %d", i+1), tag, inv.Start, inv.End)
		}
	}
	if opts.Fence {
		fmt.Fprintln(bw, "```")
	}
	return bw.Flush()
}

// mermaidTag picks the task tag for a span's status.
func mermaidTag(s *Span) string {
	switch s.Status {
	case checkpoint.StatusSucceeded:
		return "done"
	case checkpoint.StatusStarted, checkpoint.StatusPending, checkpoint.StatusReady, "":
		return "active"
	}
	return "crit" // failed, timed out, cancelled, stopped
}

// mermaidText makes s safe inside a gantt line: no line breaks, and none of
// the characters the gantt syntax gives a meaning (":", ";", "#").
func mermaidText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ':' || r == ';' || r == '#':
			return ' '
		case r < ' ' || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
