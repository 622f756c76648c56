package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
)

// pager is a service whose pages never end: every page, and every
// checkpoint answer when delta is set, carries a NextMarker (new ones, or
// one that repeats), with one new operation per page when grow is set.
type pager struct {
	*fakeService
	delta, repeat, grow bool
	pages               int
}

func (p *pager) GetExecutionState(_ context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages++
	st := &checkpoint.ExecutionState{NextMarker: "m" + strconv.Itoa(p.pages)}
	if p.repeat {
		st.NextMarker = "m" + strconv.Itoa(p.pages%2)
	}
	if p.grow {
		st.Operations = []checkpoint.Operation{{Id: "w" + strconv.Itoa(p.pages), Type: checkpoint.TypeWait, Status: checkpoint.StatusSucceeded}}
	}
	return st, nil
}

func (p *pager) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	out, err := p.fakeService.Checkpoint(ctx, in)
	if err == nil && p.delta && out.NewExecutionState != nil {
		out.NewExecutionState.NextMarker = "m0"
	}
	return out, err
}

// TestFaultEndlessPaging: paging through the initial state or a checkpoint
// answer always ends. A repeated marker, or more operations or pages than
// an execution can hold, ends the execution FAILED with a clear error
// after a bounded number of calls.
func TestFaultEndlessPaging(t *testing.T) {
	wf := func(c *Context) (any, error) {
		return Step(c, "s", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
	}
	for _, tc := range []struct {
		name                string
		delta, repeat, grow bool
		want                string
		maxPages            int
	}{
		{"initial state, new markers", false, false, false, "3001 pages", checkpoint.MaxOperations},
		{"initial state, new operations", false, false, true, "operations, more than an execution can hold", checkpoint.MaxOperations},
		{"initial state, repeated marker", false, true, false, "returned twice", 3},
		{"checkpoint answer, new markers", true, false, false, "3001 pages", checkpoint.MaxOperations},
		{"checkpoint answer, new operations", true, false, true, "operations, more than an execution can hold", checkpoint.MaxOperations},
		{"checkpoint answer, repeated marker", true, true, false, "returned twice", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, "")
			p := &pager{fakeService: f, delta: tc.delta, repeat: tc.repeat, grow: tc.grow}
			if !tc.delta {
				f.pageSize = 1 // the event carries a NextMarker
				f.add(&checkpoint.Operation{Id: "w0", Type: checkpoint.TypeWait, Status: checkpoint.StatusSucceeded})
			}
			en := newEngine(t, wf)
			out, err := en.Invoke(checkpoint.ContextWithClient(context.Background(), p), f.event())
			if err != nil {
				t.Fatalf("invocation error %v, want a FAILED response", err)
			}
			if !strings.Contains(string(out), `"Status":"FAILED"`) || !strings.Contains(string(out), checkpoint.ErrEndlessPaging.Error()) ||
				!strings.Contains(string(out), tc.want) {
				t.Fatalf("response %s, want FAILED naming %q", out, tc.want)
			}
			if p.pages > tc.maxPages {
				t.Fatalf("%d pages read, want at most %d", p.pages, tc.maxPages)
			}
		})
	}
	// ReadPages reports the error as ErrEndlessPaging, terminally.
	p := &pager{fakeService: newFake(t, "")}
	err := checkpoint.ReadPages(context.Background(), p, testARN, "t", &checkpoint.ExecutionState{NextMarker: "m"}, func(*checkpoint.ExecutionState) error { return nil })
	if !errors.Is(err, checkpoint.ErrEndlessPaging) || checkpoint.IsRetryable(err) {
		t.Fatalf("ReadPages: %v", err)
	}
}
