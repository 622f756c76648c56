package durable_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// newRunner runs h on a durabletest runner closed at the end of the test.
func newRunner(t *testing.T, h *durable.Handler, opts ...durabletest.Option) *durabletest.Runner {
	t.Helper()
	if err := h.Err(); err != nil {
		t.Fatal(err)
	}
	r := durabletest.New(h, opts...)
	t.Cleanup(func() { r.Close() })
	return r
}

// mustRun starts the execution and runs it until it ends or blocks.
func mustRun(t *testing.T, r *durabletest.Runner, input any) *durabletest.Result {
	t.Helper()
	res, err := r.Run(context.Background(), input)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mustResume runs the execution on until it ends or blocks.
func mustResume(t *testing.T, r *durabletest.Runner) *durabletest.Result {
	t.Helper()
	res, err := r.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// openCallback returns the only open callback.
func openCallback(t *testing.T, r *durabletest.Runner) local.OpenCallback {
	t.Helper()
	cbs := r.OpenCallbacks()
	if len(cbs) != 1 {
		t.Fatalf("open callbacks = %+v, want exactly one", cbs)
	}
	return cbs[0]
}

// history returns the execution's event types after ExecutionStarted, with
// the SubType appended when set ("StepStarted/WaitForCondition").
func history(r *durabletest.Runner) []string {
	var out []string
	for _, ev := range r.History() {
		if ev.EventType == "ExecutionStarted" {
			continue
		}
		s := string(ev.EventType)
		if ev.SubType != "" {
			s += "/" + ev.SubType
		}
		out = append(out, s)
	}
	return out
}

// wantHistory compares the event types (see history) with want.
func wantHistory(t *testing.T, r *durabletest.Runner, want ...string) {
	t.Helper()
	if got := history(r); !slices.Equal(got, want) {
		t.Errorf("history:\n got  %s\n want %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

// events returns the events of the given type.
func events(r *durabletest.Runner, typ string) []local.Event {
	var out []local.Event
	for _, ev := range r.History() {
		if string(ev.EventType) == typ {
			out = append(out, ev)
		}
	}
	return out
}

// wantStatus fails the test unless the execution ended with status.
func wantStatus(t *testing.T, res *durabletest.Result, status local.ExecutionStatus) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status = %s (error %+v, result %s), want %s", res.Status, res.Error, res.Result, status)
	}
}

// errorLog collects the error texts a workflow saw, one per invocation, to
// check that replays see the same errors as the live run.
type errorLog struct{ texts []string }

func (l *errorLog) add(err error) {
	if err == nil {
		l.texts = append(l.texts, "<nil>")
		return
	}
	l.texts = append(l.texts, err.Error())
}

// same fails the test unless at least n errors were logged and all are
// equal.
func (l *errorLog) same(t *testing.T, n int) {
	t.Helper()
	if len(l.texts) < n {
		t.Fatalf("saw %d errors (%q), want at least %d", len(l.texts), l.texts, n)
	}
	for _, s := range l.texts[1:] {
		if s != l.texts[0] {
			t.Fatalf("replayed error differs from the live one: %q", l.texts)
		}
	}
}
