package console

import (
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local/timeline"
)

func TestLayoutGantt(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	step := &timeline.Span{Id: "2", ParentId: "1", Name: "charge", Type: checkpoint.TypeStep, Status: checkpoint.StatusSucceeded,
		Start: at(0), End: at(10), Runs: []timeline.Interval{{Start: at(0), End: at(1)}, {Start: at(5), End: at(10)}}}
	child := &timeline.Span{Id: "1", Name: "payment", Type: checkpoint.TypeContext, Status: checkpoint.StatusStarted,
		Start: at(0), Children: []*timeline.Span{step}}
	tl := &timeline.Timeline{Start: at(0), Roots: []*timeline.Span{child},
		Invocations: []timeline.Invocation{{Start: at(0), End: at(1)}, {Start: at(5), End: at(20), Error: "boom"}}}

	g := layoutGantt(tl, at(20)) // running: the axis ends now
	const axis = float64(ganttWidth - ganttChartX - ganttRight)
	if len(g.Rows) != 2 || g.Rows[0].Id != "1" || g.Rows[1].Id != "2" {
		t.Fatalf("rows %+v", g.Rows)
	}
	if g.Rows[1].TextX != g.Rows[0].TextX+ganttIndent {
		t.Errorf("the step is not indented under its context: %d, %d", g.Rows[0].TextX, g.Rows[1].TextX)
	}
	// The open context runs to now: the whole axis.
	if b := g.Rows[0].Bars; len(b) != 1 || b[0].X != ganttChartX || b[0].Width != axis || b[0].Class != "started" {
		t.Errorf("context bars %+v", b)
	}
	// One bar per attempt; the first one failed and was retried.
	b := g.Rows[1].Bars
	if len(b) != 2 || b[0].Class != "failed retried" || b[1].Class != "succeeded" {
		t.Fatalf("step bars %+v", b)
	}
	if b[1].X != ganttChartX+axis/4 || b[1].Width != axis/4 {
		t.Errorf("the second attempt (5s to 10s of 20s) is at %v, width %v; want %v, %v", b[1].X, b[1].Width, ganttChartX+axis/4, axis/4)
	}
	if inv := g.Invocations.Bars; len(inv) != 2 || inv[1].Class != "invocation failed" {
		t.Errorf("invocation bars %+v", inv)
	}
	if g.Ticks[len(g.Ticks)-1].Label != "+20s" || g.Height != ganttHeadH+3*ganttRowH+4 {
		t.Errorf("ticks %+v, height %d", g.Ticks, g.Height)
	}
}

func TestLayoutGanttInstantExecution(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tl := &timeline.Timeline{Start: t0, End: t0, Roots: []*timeline.Span{{Id: "1", Type: checkpoint.TypeWait, Start: t0, End: t0}}}
	g := layoutGantt(tl, t0)
	if b := g.Rows[0].Bars[0]; b.Width != ganttMinBar || b.X != ganttChartX {
		t.Errorf("an instant operation gets %+v; want a visible bar at the start", b)
	}
}
