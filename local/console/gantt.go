package console

import (
	"fmt"
	"math"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local/timeline"
)

// The geometry of the Gantt chart, in SVG user units.
const (
	ganttWidth  = 1000 // the whole chart
	ganttChartX = 330  // where the time axis starts (labels on the left)
	ganttRight  = 20   // margin after the axis
	ganttRowH   = 20   // one row
	ganttHeadH  = 22   // the axis labels
	ganttIndent = 12   // per tree level
	ganttTicks  = 4    // intervals on the axis
	ganttLabel  = 44   // longest label, in runes, at depth 0
	ganttMinBar = 2.0  // a bar stays visible however short
)

// gantt is the laid-out timeline: one row per operation, in tree order,
// with the invocations on a row of their own at the top.
type gantt struct {
	Width, Height int
	Ticks         []tick
	Invocations   ganttRow
	Rows          []ganttRow
}

// tick is a labelled instant on the time axis.
type tick struct {
	X     float64
	Label string
}

// ganttRow is one row of the chart.
type ganttRow struct {
	Id, Label, Status string
	Title             string // the tooltip
	TextX, TextY      int
	BarY              int
	Bars              []bar
}

// bar is one stretch of time on a row.
type bar struct {
	X, Width float64
	Class    string
	Title    string
}

// scale maps instants to x positions on the axis.
type scale struct {
	start time.Time
	span  time.Duration
}

func (s scale) x(t time.Time) float64 {
	frac := float64(t.Sub(s.start)) / float64(s.span)
	return round1(ganttChartX + min(max(frac, 0), 1)*(ganttWidth-ganttChartX-ganttRight))
}

// bar returns the bar from start to end (now when end is zero).
func (s scale) bar(start, end, now time.Time, class, title string) bar {
	if end.IsZero() {
		end = now
	}
	x0, x1 := s.x(start), s.x(end)
	return bar{X: x0, Width: round1(max(x1-x0, ganttMinBar)), Class: class, Title: title}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// layoutGantt lays out a timeline. A running execution's axis ends now.
func layoutGantt(tl *timeline.Timeline, now time.Time) gantt {
	start, end := tl.Start, tl.End
	if end.IsZero() {
		end = now
	}
	tl.Walk(func(s *timeline.Span, _ int) {
		if start.IsZero() || !s.Start.IsZero() && s.Start.Before(start) {
			start = s.Start
		}
	})
	sc := scale{start: start, span: max(end.Sub(start), time.Millisecond)}
	g := gantt{Width: ganttWidth}
	for i := range ganttTicks + 1 {
		offset := sc.span * time.Duration(i) / ganttTicks
		g.Ticks = append(g.Ticks, tick{X: sc.x(start.Add(offset)), Label: "+" + formatDuration(offset)})
	}
	row := func(n int) (textY, barY int) {
		top := ganttHeadH + n*ganttRowH
		return top + ganttRowH - 6, top + 4
	}
	g.Invocations = ganttRow{Label: "invocations", Title: fmt.Sprintf("%d invocations", len(tl.Invocations)), TextX: 4}
	g.Invocations.TextY, g.Invocations.BarY = row(0)
	for i, inv := range tl.Invocations {
		class, title := "invocation", fmt.Sprintf("invocation %d: %s", i+1, span(inv.Start, inv.End, now))
		if inv.Error != "" {
			class, title = "invocation failed", title+" — "+inv.Error
		}
		g.Invocations.Bars = append(g.Invocations.Bars, sc.bar(inv.Start, inv.End, now, class, title))
	}
	tl.Walk(func(s *timeline.Span, depth int) {
		r := ganttRow{
			Id: s.Id, Status: string(s.Status), TextX: 4 + depth*ganttIndent,
			Label: clip(s.Label(), max(ganttLabel-2*depth, 8)),
			Title: fmt.Sprintf("%s (%s) %s, %s", s.Label(), s.Kind(), s.Status, span(s.Start, s.End, now)),
		}
		r.TextY, r.BarY = row(len(g.Rows) + 1)
		r.Bars = spanBars(sc, s, now)
		g.Rows = append(g.Rows, r)
	})
	g.Height = ganttHeadH + (len(g.Rows)+1)*ganttRowH + 4
	return g
}

// spanBars returns a span's bars: one per attempt for a step whose history
// shows its attempts (every attempt but the last failed), else one.
func spanBars(sc scale, s *timeline.Span, now time.Time) []bar {
	status := statusClass(string(s.Status))
	if s.Type != checkpoint.TypeStep || len(s.Runs) == 0 {
		return []bar{sc.bar(s.Start, s.End, now, status, s.Label()+": "+span(s.Start, s.End, now))}
	}
	bars := make([]bar, len(s.Runs))
	for i, run := range s.Runs {
		class := "failed retried"
		if i == len(s.Runs)-1 {
			class = status
		}
		bars[i] = sc.bar(run.Start, run.End, now, class,
			fmt.Sprintf("%s attempt %d: %s", s.Label(), i+1, span(run.Start, run.End, now)))
	}
	return bars
}
