package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
)

func TestParallelHeterogeneousBranches(t *testing.T) {
	wf := func(ctx durable.Context, _ any) ([]any, error) {
		res, err := durable.Parallel(ctx, "hetero", durable.Branches(
			func(durable.Context) (any, error) { return "hello", nil },
			func(durable.Context) (any, error) { return 42, nil },
			func(durable.Context) (any, error) { return map[string]string{"k": "v"}, nil },
		), durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, nil, `["hello",42,{"k":"v"}]`)
	wantHistory(t, r, "ContextStarted/Parallel",
		"ContextStarted/ParallelBranch", "ContextSucceeded/ParallelBranch",
		"ContextStarted/ParallelBranch", "ContextSucceeded/ParallelBranch",
		"ContextStarted/ParallelBranch", "ContextSucceeded/ParallelBranch",
		"ContextSucceeded/Parallel", "InvocationCompleted", "ExecutionSucceeded")
}

func TestParallelBranchSuspendsAndResumes(t *testing.T) {
	var b0 int
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "replay", []durable.Branch[string]{
			{Name: "first", Func: func(ctx durable.Context) (string, error) {
				return durable.Step(ctx, "s", func(durable.StepContext) (string, error) { b0++; return "b0", nil })
			}},
			{Name: "second", Func: func(ctx durable.Context) (string, error) {
				if err := durable.Wait(ctx, "w", 2*time.Second); err != nil {
					return "", err
				}
				return "b1", nil
			}},
		}, durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, nil, `["b0","b1"]`)
	if b0 != 1 {
		t.Errorf("branch 0's step ran %d times", b0)
	}
	wantHistory(t, r, "ContextStarted/Parallel",
		"ContextStarted/ParallelBranch", "StepStarted/Step", "StepSucceeded/Step", "ContextSucceeded/ParallelBranch",
		"ContextStarted/ParallelBranch", "WaitStarted/Wait", "InvocationCompleted",
		"WaitSucceeded/Wait", "ContextSucceeded/ParallelBranch", "ContextSucceeded/Parallel",
		"InvocationCompleted", "ExecutionSucceeded")
	var names []string
	for _, ev := range events(r, "ContextStarted") {
		names = append(names, ev.Name)
	}
	if fmt.Sprint(names) != "[replay first second]" {
		t.Errorf("names = %q", names)
	}
}

type codeError struct{ code string }

func (e *codeError) Error() string     { return "failed with " + e.code }
func (e *codeError) ErrorType() string { return "CodeError" }

func TestParallelErrRethrowsFirstFailure(t *testing.T) {
	var got error
	wf := func(ctx durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "throwing", durable.Branches(
			func(durable.Context) (string, error) { return "", &codeError{"E1"} },
			func(durable.Context) (string, error) { return "never", nil },
		), durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(0))
		if err != nil {
			return "", err
		}
		got = res.Err()
		return "", got
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionFailed)
	if res.Error == nil || res.Error.ErrorType != "CodeError" {
		t.Errorf("execution error = %+v, want the branch's ErrorType", res.Error)
	}
	var be *durable.BatchError
	var ce *durable.ChildContextError
	if !errors.As(got, &be) || len(be.Errors) != 1 || !errors.As(got, &ce) || ce.Object.ErrorMessage != "failed with E1" {
		t.Errorf("Err() = %#v", got)
	}
	wantHistory(t, r, "ContextStarted/Parallel", "ContextStarted/ParallelBranch", "ContextFailed/ParallelBranch",
		"ContextSucceeded/Parallel", "InvocationCompleted", "ExecutionFailed")
}

func TestParallelAccessors(t *testing.T) {
	type accessors struct {
		HasFailure                             bool
		SuccessCount, FailureCount, ErrorCount int
		Results                                []string
		FailedIndex                            int
	}
	wf := func(ctx durable.Context, _ any) (accessors, error) {
		res, err := durable.Parallel(ctx, "accessors", durable.Branches(
			func(durable.Context) (string, error) { return "a", nil },
			func(durable.Context) (string, error) { return "", errors.New("b failed") },
			func(durable.Context) (string, error) { return "c", nil },
		), durable.WithMaxConcurrency(1), durable.WithToleratedFailureCount(1))
		if err != nil {
			return accessors{}, err
		}
		return accessors{res.HasFailure(), len(res.Succeeded()), len(res.Failed()), len(res.Errors()),
			res.Results(), res.Failed()[0].Index}, nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, nil)
	var got accessors
	if err := res.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "{true 2 1 1 [a c] 1}" {
		t.Errorf("accessors = %+v", got)
	}
}

// signalOnUpdate returns a checkpoint middleware that closes the channel
// once a request carrying an update accepted by match has been recorded.
func signalOnUpdate(match func(checkpoint.OperationUpdate) bool) (durable.HandlerOption, <-chan struct{}) {
	ch := make(chan struct{})
	var once sync.Once
	mw := func(next checkpoint.Client) checkpoint.Client {
		return middleware.ClientFuncs{
			CheckpointFunc: func(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
				out, err := next.Checkpoint(ctx, in)
				for _, u := range in.Updates {
					if err == nil && match(u) {
						once.Do(func() { close(ch) })
					}
				}
				return out, err
			},
			GetExecutionStateFunc: next.GetExecutionState,
		}
	}
	return durable.WithCheckpointMiddleware(mw), ch
}

func TestParallelAbandonsRunningBranches(t *testing.T) {
	waitStarted, started := signalOnUpdate(func(u checkpoint.OperationUpdate) bool {
		return u.Type == checkpoint.TypeWait && u.Action == checkpoint.ActionStart
	})
	afterAbandon := make(chan error, 1)
	var abandonedErr error
	wf := func(ctx durable.Context, _ any) (projection, error) {
		res, err := durable.Parallel(ctx, "first-wins", durable.Branches(
			func(ctx durable.Context) (string, error) {
				err := durable.Wait(ctx, "long", time.Hour)
				_, serr := durable.Step(ctx, "late", func(durable.StepContext) (string, error) { return "late", nil })
				afterAbandon <- errors.Join(err, serr)
				return "slow", nil
			},
			func(ctx durable.Context) (string, error) {
				<-started // the slow branch's wait is recorded
				return "fast", nil
			},
		), durable.WithMinSuccessful(1))
		if err != nil {
			return projection{}, err
		}
		// Hold the invocation open (not durably: this is a test) until the
		// abandoned branch has resumed and tried to go on.
		abandonedErr = <-afterAbandon
		return project(res), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs(), waitStarted))
	begin := r.Now()
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	var p projection
	if err := res.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if want := (projection{CompletionReason: "MIN_SUCCESSFUL_REACHED", Status: "SUCCEEDED", SuccessCount: 1, StartedCount: 1, TotalCount: 2}); p != want {
		t.Errorf("projection = %+v, want %+v", p, want)
	}
	if d := r.Now().Sub(begin); d >= time.Hour {
		t.Errorf("the execution waited %v for an abandoned branch", d)
	}
	if err := abandonedErr; !errors.Is(err, durable.ErrWaitCancelled) || !errors.Is(err, durable.ErrContextClosed) {
		t.Errorf("abandoned branch saw %v, want a cancelled wait and a refused step", err)
	}
	// The branches run concurrently: only the end of the history is ordered.
	got := history(r)
	want := []string{"ContextStarted/Parallel", "ContextStarted/ParallelBranch", "ContextStarted/ParallelBranch",
		"WaitStarted/Wait", "ContextSucceeded/ParallelBranch",
		"WaitCancelled/Wait", "ContextSucceeded/Parallel", "InvocationCompleted", "ExecutionSucceeded"}
	if len(got) != len(want) || !slices.Equal(got[5:], want[5:]) || got[0] != want[0] {
		t.Errorf("history:\n got  %q\n want %q (first five in any order)", got, want)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("history events = %q, want %q", got, want)
	}
}

func TestParallelFlatNesting(t *testing.T) {
	var steps sync.Map
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "flat", durable.Branches(
			func(ctx durable.Context) (string, error) {
				return durable.Step(ctx, "a", func(durable.StepContext) (string, error) { steps.Store("a", true); return "A", nil })
			},
			func(ctx durable.Context) (string, error) {
				if err := durable.Wait(ctx, "w", 5*time.Second); err != nil {
					return "", err
				}
				return durable.Step(ctx, "b", func(durable.StepContext) (string, error) { return "B", nil })
			},
		), durable.WithFlatNesting())
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, nil, `["A","B"]`)
	var parID string
	ids := map[string]bool{}
	for _, ev := range r.History() {
		switch {
		case ev.SubType == "ParallelBranch":
			t.Errorf("flat nesting recorded a branch context: %+v", ev)
		case ev.SubType == "Parallel":
			parID = ev.Id
		case (ev.SubType == "Step" || ev.SubType == "Wait") && ev.ParentId != parID:
			t.Errorf("%s %s has parent %q, want the parallel %q", ev.EventType, ev.Id, ev.ParentId, parID)
		}
		if ev.EventType == "StepStarted" || ev.EventType == "WaitStarted" {
			if ids[ev.Id] {
				t.Errorf("id %s used twice", ev.Id)
			}
			ids[ev.Id] = true
		}
	}
	if len(ids) != 3 {
		t.Errorf("ids = %v, want 3 distinct operations", ids)
	}
}

func TestParallelNestedMaps(t *testing.T) {
	wf := func(ctx durable.Context, _ any) ([][]int, error) {
		res, err := durable.Parallel(ctx, "outer", durable.Branches(
			func(ctx durable.Context) ([]int, error) {
				m, err := durable.Map(ctx, "inner", []int{1, 2, 3}, func(ctx durable.Context, _ int, n int) (int, error) {
					if err := durable.Wait(ctx, "w", time.Duration(n)*time.Second); err != nil {
						return 0, err
					}
					return n * 10, nil
				})
				if err != nil {
					return nil, err
				}
				return m.Results(), nil
			},
			func(ctx durable.Context) ([]int, error) {
				m, err := durable.Map(ctx, "inner", []int{4, 5}, func(_ durable.Context, _ int, n int) (int, error) { return n * 10, nil },
					durable.WithFlatNesting())
				if err != nil {
					return nil, err
				}
				return m.Results(), nil
			},
		))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	succeeds(t, wf, nil, `[[10,20,30],[40,50]]`)
}

func TestFlatNestingAbandonsAndCancels(t *testing.T) {
	waitStarted, started := signalOnUpdate(func(u checkpoint.OperationUpdate) bool {
		return u.Type == checkpoint.TypeWait && u.Action == checkpoint.ActionStart
	})
	wf := func(ctx durable.Context, _ any) (projection, error) {
		res, err := durable.Map(ctx, "flat", []int{0, 1}, func(ctx durable.Context, i int, _ int) (string, error) {
			if i == 0 {
				return "slow", durable.Wait(ctx, "long", time.Hour)
			}
			<-started
			return "fast", nil
		}, durable.WithFlatNesting(), durable.WithMinSuccessful(1))
		if err != nil {
			return projection{}, err
		}
		return project(res), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs(), waitStarted))
	begin := r.Now()
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if d := r.Now().Sub(begin); d >= time.Hour {
		t.Errorf("the execution waited %v for an abandoned item", d)
	}
	if n := len(events(r, "WaitCancelled")); n != 1 {
		t.Errorf("%d waits cancelled, want 1", n)
	}
	var p projection
	if err := res.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.StartedCount != 1 || p.SuccessCount != 1 {
		t.Errorf("projection = %+v", p)
	}
}

func TestMapInEveryCheckpointMode(t *testing.T) {
	modes := map[string]checkpoint.Mode{
		"eager": checkpoint.Eager{}, "batched": checkpoint.Batched{MaxUpdates: 3}, "optimistic": checkpoint.Optimistic{},
	}
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			wf := func(ctx durable.Context, _ any) ([]string, error) {
				res, err := durable.Map(ctx, "m", []int{2, 1, 3}, func(ctx durable.Context, i int, secs int) (string, error) {
					v, err := durable.Step(ctx, "s", func(durable.StepContext) (string, error) { return fmt.Sprint(i), nil },
						durable.WithAtMostOncePerRetry())
					if err != nil {
						return "", err
					}
					return v, durable.Wait(ctx, "w", time.Duration(secs)*time.Second)
				}, durable.WithMaxConcurrency(2))
				if err != nil {
					return nil, err
				}
				return res.Results(), res.Err()
			}
			r := newRunner(t, durable.NewHandler(wf, quietLogs(), durable.WithCheckpointMode(mode)))
			res := mustRun(t, r, nil)
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `["0","1","2"]` {
				t.Errorf("result = %s", res.Result)
			}
			if n := len(events(r, "StepStarted")); n != 3 {
				t.Errorf("%d steps started, want 3", n)
			}
		})
	}
}
