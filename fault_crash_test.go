package durable_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
)

// checkFaultCrash returns the check of a run with one crash: the outcome of
// the reference, exactly one crashed invocation, and no more re-run step
// bodies than the mode documents (bound, 0: any).
func checkFaultCrash(bound int) func(ref, got *faultOutcome, runErr error) error {
	return func(ref, got *faultOutcome, runErr error) error {
		if runErr != nil {
			return runErr
		}
		if err := faultSameOutcome(ref, got); err != nil {
			return err
		}
		if n := got.inj.Crashes(); n != 1 {
			return fmt.Errorf("%d crashed invocations, want 1", n)
		}
		if extra := got.bodyRuns - ref.bodyRuns; extra < 0 || (bound > 0 && extra > bound) {
			return fmt.Errorf("%d step bodies ran, %d in the fault-free run: %d re-runs, the mode allows %d", got.bodyRuns, ref.bodyRuns, extra, bound)
		}
		return nil
	}
}

// crashTargetCases crashes, before and after the service applies it, at
// each call of the reference run.
func crashTargetCases(ref *faultOutcome, check func(ref, got *faultOutcome, runErr error) error) []faultCase {
	var cases []faultCase
	for _, kind := range []faultinject.Kind{faultinject.Crash, faultinject.CrashAfterApply} {
		for _, target := range faultTargets(ref.inj) {
			cases = append(cases, faultCase{name: kind.String() + " at " + target.name,
				sc: faultScenario{rules: target.with(kind)}, check: check})
		}
	}
	return cases
}

// TestFaultCrashAtEveryCheckpoint kills the invocation at every call it
// makes to the service (the call carrying each update, and each state
// read), once before the call reaches the service and once after the
// service applied it, in every checkpoint mode. The service records the
// crash and invokes again; the execution must end as the fault-free run
// did, with no recorded outcome changed, no at-most-once attempt run twice,
// no step run after its outcome was recorded, and no more re-runs than the
// mode documents.
func TestFaultCrashAtEveryCheckpoint(t *testing.T) {
	runFaultMatrix(t, nil, func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		if ref.calls[faultinject.OpGetState] == 0 {
			t.Fatal("the reference run never paged the state: the scenario misses GetDurableExecutionState")
		}
		return crashTargetCases(ref, checkFaultCrash(m.rerunBound))
	})
}

// TestFaultCrashInsideStepBodies kills the invocation while each step body
// runs (every body run of the fault-free execution, retried attempts
// included), with a body that stops and with one that returns normally
// after the kill (its outcome must not be recorded).
func TestFaultCrashInsideStepBodies(t *testing.T) {
	runFaultMatrix(t, nil, func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		var cases []faultCase
		for n := 1; n <= ref.bodyRuns; n++ {
			for _, block := range []bool{true, false} {
				cases = append(cases, faultCase{name: fmt.Sprintf("crash in body run %d of %d (blocking %v)", n, ref.bodyRuns, block),
					sc: faultScenario{crashAt: n, crashBlock: block}, check: checkFaultCrash(m.rerunBound)})
			}
		}
		return cases
	})
}

// TestFaultNoStepBodyAfterInvocationEnds holds a step attempt between the
// SDK's last liveness check and its body until the killed invocation's
// handler has returned: the body must not start then (in Lambda a leftover
// goroutine resumes in a later invocation of the same sandbox and would run
// user code for an invocation that is over), and its outcome must never be
// recorded.
func TestFaultNoStepBodyAfterInvocationEnds(t *testing.T) {
	var (
		held     atomic.Bool
		released = make(chan struct{})
		late     atomic.Bool
		runs     atomic.Int32
	)
	hold := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			if op.Spec().Name != "victim" || held.Swap(true) {
				return next(ctx, op)
			}
			defer close(released)
			faultinject.Kill(ctx)
			<-faultinject.Returned(ctx)
			return next(ctx, op)
		}
	}
	h := durable.NewHandler(func(ctx durable.Context, _ int) (int, error) {
		return durable.Step(ctx, "victim", func(sc durable.StepContext) (int, error) {
			runs.Add(1)
			if faultinject.HasReturned(sc) {
				late.Store(true)
			}
			return 42, nil
		})
	}, durable.WithAttemptMiddleware(hold), durable.WithLogHandler(discard{}))
	inj := faultinject.New()
	r := durabletest.New(inj.Function(h))
	defer r.Close()
	ctx := context.Background()
	if err := r.Start(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	<-released
	res, err := r.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionSucceeded || res.Result != "42" || inj.Crashes() != 1 {
		t.Fatalf("execution %+v after %d crashes", res, inj.Crashes())
	}
	if late.Load() {
		t.Fatalf("a step body started after its invocation's handler had returned (%d body runs)", runs.Load())
	}
	if runs.Load() != 1 {
		t.Fatalf("the step body ran %d times, want once (in the second invocation)", runs.Load())
	}
}
