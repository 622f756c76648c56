package timeline

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func ptr[T any](v T) *T { return &v }

// orderHistory is the history of an order workflow: a step, a step that
// fails once and is retried, a one-hour wait, a callback answered two
// seconds later, and a child context with a step, over four invocations.
func orderHistory() []local.Event {
	id := int32(0)
	ev := func(typ local.EventType, ts time.Duration, opID, parent, name, sub string) local.Event {
		id++
		return local.Event{EventType: typ, EventId: id, EventTimestamp: at(ts), Id: opID, ParentId: parent, Name: name, SubType: sub}
	}
	inv := func(start, end time.Duration, errType string) local.Event {
		e := ev(local.EventInvocationCompleted, end, "", "", "", "")
		e.InvocationCompletedDetails = &local.InvocationCompletedDetails{StartTimestamp: at(start), EndTimestamp: at(end), RequestId: "r"}
		if errType != "" {
			e.InvocationCompletedDetails.Error = &local.EventError{Payload: &checkpoint.ErrorObject{ErrorType: errType}}
		}
		return e
	}
	var h []local.Event
	add := func(e local.Event) { h = append(h, e) }
	started := ev(local.EventExecutionStarted, 0, "exec", "", "order-42", "")
	add(started)
	add(ev(local.EventStepStarted, 10*time.Millisecond, "s1", "", "validate", "Step"))
	e := ev(local.EventStepSucceeded, 60*time.Millisecond, "s1", "", "validate", "Step")
	e.StepSucceededDetails = &local.StepSucceededDetails{RetryDetails: &local.RetryDetails{CurrentAttempt: 1}}
	add(e)
	add(ev(local.EventStepStarted, 70*time.Millisecond, "s2", "", "charge", "Step"))
	e = ev(local.EventStepFailed, 120*time.Millisecond, "s2", "", "charge", "Step")
	e.StepFailedDetails = &local.StepFailedDetails{
		Error:        &local.EventError{Payload: &checkpoint.ErrorObject{ErrorType: "PaymentDeclined", ErrorMessage: "card declined\nretry later"}},
		RetryDetails: &local.RetryDetails{CurrentAttempt: 1, NextAttemptDelaySeconds: ptr(int32(5))},
	}
	add(e)
	add(inv(0, 130*time.Millisecond, ""))
	add(ev(local.EventStepStarted, 5*time.Second+120*time.Millisecond, "s2", "", "charge", "Step"))
	e = ev(local.EventStepSucceeded, 5*time.Second+300*time.Millisecond, "s2", "", "charge", "Step")
	e.StepSucceededDetails = &local.StepSucceededDetails{RetryDetails: &local.RetryDetails{CurrentAttempt: 2}}
	add(e)
	e = ev(local.EventWaitStarted, 5*time.Second+310*time.Millisecond, "w1", "", "cool-off", "Wait")
	add(e)
	add(inv(5*time.Second+100*time.Millisecond, 5*time.Second+320*time.Millisecond, ""))
	add(ev(local.EventWaitSucceeded, time.Hour+5*time.Second+310*time.Millisecond, "w1", "", "cool-off", "Wait"))
	add(ev(local.EventCallbackStarted, time.Hour+5*time.Second+400*time.Millisecond, "c1", "", "approval", "Callback"))
	add(inv(time.Hour+5*time.Second+310*time.Millisecond, time.Hour+5*time.Second+410*time.Millisecond, ""))
	add(ev(local.EventCallbackSucceeded, time.Hour+7*time.Second+400*time.Millisecond, "c1", "", "approval", "Callback"))
	add(ev(local.EventContextStarted, time.Hour+7*time.Second+500*time.Millisecond, "x1", "", "ship", "RunInChildContext"))
	add(ev(local.EventStepStarted, time.Hour+7*time.Second+510*time.Millisecond, "x1-1", "x1", "label", "Step"))
	e = ev(local.EventStepSucceeded, time.Hour+8*time.Second+510*time.Millisecond, "x1-1", "x1", "label", "Step")
	e.StepSucceededDetails = &local.StepSucceededDetails{RetryDetails: &local.RetryDetails{CurrentAttempt: 1}}
	add(e)
	add(ev(local.EventStepStarted, time.Hour+8*time.Second+520*time.Millisecond, "x1-2", "x1", "", "Step"))
	add(ev(local.EventStepSucceeded, time.Hour+8*time.Second+530*time.Millisecond, "x1-2", "x1", "", "Step"))
	add(ev(local.EventContextSucceeded, time.Hour+8*time.Second+600*time.Millisecond, "x1", "", "ship", "RunInChildContext"))
	add(inv(time.Hour+7*time.Second+400*time.Millisecond, time.Hour+8*time.Second+700*time.Millisecond, ""))
	add(ev(local.EventExecutionSucceeded, time.Hour+8*time.Second+700*time.Millisecond, "exec", "", "", ""))
	return h
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestFromHistory(t *testing.T) {
	tl := FromHistory(orderHistory())
	if tl.Name != "order-42" || tl.Status != "SUCCEEDED" || !tl.Start.Equal(t0) || len(tl.Invocations) != 4 {
		t.Fatalf("header: %+v", tl)
	}
	if len(tl.Roots) != 5 {
		t.Fatalf("roots = %d, want 5", len(tl.Roots))
	}
	charge := tl.Roots[1]
	if charge.Attempts != 2 || len(charge.Runs) != 2 || charge.Status != checkpoint.StatusSucceeded || charge.Error != "" {
		t.Errorf("charge = %+v", charge)
	}
	if got := charge.Duration(time.Time{}); got != 5*time.Second+230*time.Millisecond {
		t.Errorf("charge took %v", got)
	}
	ship := tl.Roots[4]
	if len(ship.Children) != 2 || ship.Children[0].Name != "label" || ship.Children[1].Label() != "Step x1-2" {
		t.Errorf("ship children = %+v", ship.Children)
	}
}

func TestHistoryOrderDoesNotMatter(t *testing.T) {
	h := orderHistory()
	rev := make([]local.Event, len(h))
	for i, e := range h {
		rev[len(h)-1-i] = e
	}
	var a, b bytes.Buffer
	if err := FromHistory(h).WriteText(&a, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := FromHistory(rev).WriteText(&b, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the rendering depends on the order of the events")
	}
}

func TestPendingRetryAndRunning(t *testing.T) {
	h := orderHistory()[:6] // up to the failed first attempt of charge
	tl := FromHistory(h)
	charge := tl.Roots[1]
	if charge.Status != checkpoint.StatusPending || !charge.End.IsZero() || charge.Error != "PaymentDeclined: card declined\nretry later" {
		t.Fatalf("charge = %+v", charge)
	}
	var buf bytes.Buffer
	if err := tl.WriteText(&buf, TextOptions{Width: 20, Now: at(10 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	golden(t, "pending.txt", buf.Bytes())
}

func TestTextGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := FromHistory(orderHistory()).WriteText(&buf, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "order.txt", buf.Bytes())
}

func TestTextWithoutBars(t *testing.T) {
	var buf bytes.Buffer
	if err := FromHistory(orderHistory()).WriteText(&buf, TextOptions{Width: -1}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "█│·░") {
		t.Errorf("bars drawn with a negative width:\n%s", buf.String())
	}
}

func TestMermaidGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := FromHistory(orderHistory()).WriteMermaid(&buf, MermaidOptions{Fence: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "order.mermaid", buf.Bytes())
}

func TestFromOperations(t *testing.T) {
	ops := []checkpoint.Operation{
		{Id: "exec", Name: "order-42", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted, StartTimestamp: checkpoint.At(t0)},
		{Id: "s1", Name: "validate", Type: checkpoint.TypeStep, SubType: "Step", Status: checkpoint.StatusSucceeded,
			StartTimestamp: checkpoint.At(at(time.Second)), EndTimestamp: checkpoint.At(at(2 * time.Second)),
			StepDetails: &checkpoint.StepDetails{Attempt: 3}},
		{Id: "x1", Name: "ship", Type: checkpoint.TypeContext, SubType: "RunInChildContext", Status: checkpoint.StatusFailed,
			StartTimestamp: checkpoint.At(at(2 * time.Second)), EndTimestamp: checkpoint.At(at(4 * time.Second)),
			ContextDetails: &checkpoint.ContextDetails{Error: &checkpoint.ErrorObject{ErrorMessage: "no stock"}}},
		{Id: "x1-1", ParentId: "x1", Type: checkpoint.TypeWait, SubType: "Wait", Status: checkpoint.StatusStarted,
			StartTimestamp: checkpoint.At(at(3 * time.Second))},
	}
	tl := FromOperations(ops)
	if tl.Name != "order-42" || len(tl.Roots) != 2 || tl.Roots[0].Attempts != 3 || tl.Roots[1].Error != "no stock" ||
		len(tl.Roots[1].Children) != 1 {
		t.Fatalf("timeline = %+v", tl)
	}
	var buf bytes.Buffer
	if err := tl.WriteText(&buf, TextOptions{Width: 24, Now: at(6 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	golden(t, "operations.txt", buf.Bytes())
}

func TestLinkIgnoresCyclesAndUnknownParents(t *testing.T) {
	spans := []*Span{{Id: "a", ParentId: "b"}, {Id: "b", ParentId: "a"}, {Id: "c", ParentId: "zz"}, {Id: "c", ParentId: "c"}}
	roots := link(spans)
	n := 0
	(&Timeline{Roots: roots}).Walk(func(*Span, int) { n++ })
	if n != 4 {
		t.Fatalf("walked %d spans, want 4", n)
	}
}

func TestEmptyTimeline(t *testing.T) {
	var buf bytes.Buffer
	if err := (&Timeline{}).WriteText(&buf, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "(empty timeline)") {
		t.Errorf("got %q", buf.String())
	}
	buf.Reset()
	if err := (&Timeline{}).WriteMermaid(&buf, MermaidOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestMermaidTextEscapes(t *testing.T) {
	if got := mermaidText("a:b;c#d\ne"); got != "a b c d e" {
		t.Errorf("got %q", got)
	}
}

func TestFromLambdaHistory(t *testing.T) {
	events := []types.Event{
		{EventId: aws.Int32(1), EventType: types.EventTypeExecutionStarted, EventTimestamp: aws.Time(t0), Name: aws.String("n")},
		{EventId: aws.Int32(2), EventType: types.EventTypeStepStarted, EventTimestamp: aws.Time(at(time.Second)), Id: aws.String("s"), SubType: aws.String("Step")},
		{EventId: aws.Int32(3), EventType: types.EventTypeStepFailed, EventTimestamp: aws.Time(at(2 * time.Second)), Id: aws.String("s"), SubType: aws.String("Step"),
			StepFailedDetails: &types.StepFailedDetails{
				Error:        &types.EventError{Payload: &types.ErrorObject{ErrorType: aws.String("Boom")}},
				RetryDetails: &types.RetryDetails{CurrentAttempt: 3},
			}},
	}
	tl, err := FromLambdaHistory(events)
	if err != nil {
		t.Fatal(err)
	}
	s := tl.Roots[0]
	if tl.Name != "n" || s.Status != checkpoint.StatusFailed || s.Attempts != 3 || s.Error != "Boom" || !s.End.Equal(at(2*time.Second)) {
		t.Fatalf("timeline %+v, span %+v", tl, s)
	}
}
