package durable_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// fanOutItems is how many map items run at once in the concurrency tests.
const fanOutItems = 12

// fanOutWorkflow maps over items on concurrent goroutines: every item runs
// a step, every third item waits (the invocation suspends while other items
// still run), and a second step that is at-most-once for even items.
func fanOutWorkflow(p *faultProbe) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, in int) (string, error) {
		items := make([]int, fanOutItems)
		for i := range items {
			items[i] = in + i
		}
		res, err := durable.Map(ctx, "fan-out", items, func(c durable.Context, i int, item int) (int, error) {
			v, err := durable.Step(c, "double", faultProbed(p, "double-"+strconv.Itoa(i), false,
				func(durable.StepContext) (int, error) { return item * 2, nil }))
			if err != nil {
				return 0, err
			}
			if i%3 == 0 {
				if err := durable.Wait(c, "breathe", time.Second); err != nil {
					return 0, err
				}
			}
			var opts []durable.StepOption
			if i%2 == 0 {
				opts = append(opts, durable.WithAtMostOncePerRetry(), durable.WithRetry(retry.Fixed(3, time.Second)))
			}
			return durable.Step(c, "inc", faultProbed(p, "inc-"+strconv.Itoa(i), i%2 == 0,
				func(durable.StepContext) (int, error) { return v + 1, nil }), opts...)
		})
		if err != nil {
			return "", err
		}
		if err := res.Err(); err != nil {
			return "", err
		}
		sum := 0
		for _, v := range res.Results() {
			sum += v
		}
		return fmt.Sprintf("%d items, sum %d", res.SuccessCount(), sum), nil
	}
}

// TestFaultConcurrentBranchesCrashAnywhere runs map items that checkpoint
// concurrently and suspend while others still run, in every mode, and
// kills the invocation at the calls carrying half of the updates of the
// fault-free run (before or after the service applies them) and inside
// every third step body: the outcome never changes.
func TestFaultConcurrentBranchesCrashAnywhere(t *testing.T) {
	runFaultMatrix(t, fanOutWorkflow, func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		if want := fmt.Sprintf("%q", "12 items, sum 264"); ref.res.Result != want {
			t.Fatalf("fault-free result %s, want %s", ref.res.Result, want)
		}
		// Concurrent items re-run differently from run to run: no bound.
		check := checkFaultCrash(0)
		var cases []faultCase
		for i, c := range crashTargetCases(ref, check) {
			if i%2 == 0 { // half of them: the targets are many
				cases = append(cases, c)
			}
		}
		for n := 1; n <= ref.bodyRuns; n += 3 {
			cases = append(cases, faultCase{name: fmt.Sprintf("crash in body run %d", n),
				sc: faultScenario{crashAt: n, crashBlock: n%2 == 0}, check: check})
		}
		return cases
	})
}

// callbackStorm creates callbacks, then answers them from inside a step
// body while the invocation is still running: some synchronously, the rest
// from a goroutine racing with the workflow. The answers reach the
// execution during the invocation (in a checkpoint's delta) or trigger
// another invocation after it.
func callbackStorm(svc func() *local.Service, wg *sync.WaitGroup, errs chan<- error) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, n int) (string, error) {
		cbs := make([]*durable.Callback[string], n)
		for i := range cbs {
			cb, err := durable.CreateCallback[string](ctx, "cb-"+strconv.Itoa(i))
			if err != nil {
				return "", err
			}
			cbs[i] = cb
		}
		_, err := durable.Step(ctx, "notify", func(sc durable.StepContext) (int, error) {
			answer := func(i int) {
				err := svc().SendCallbackSuccess(context.Background(), &local.SendCallbackSuccessInput{
					CallbackId: cbs[i].ID(), Result: []byte("r" + strconv.Itoa(i))})
				// A replayed notify step (after a crash) answers again:
				// closed callbacks are refused, nothing else.
				if err != nil && !errors.Is(err, local.ErrCallbackTimeout) {
					errs <- err
				}
			}
			for i := 0; i < n/2; i++ {
				answer(i)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := n / 2; i < n; i++ {
					answer(i)
				}
			}()
			return n, nil
		})
		if err != nil {
			return "", err
		}
		out := ""
		for _, cb := range cbs {
			v, err := cb.Get()
			if err != nil {
				return "", err
			}
			out += v
		}
		return out, nil
	}
}

// TestFaultCallbacksArriveDuringInvocation answers callbacks while the
// invocation that created them runs (and races with it), in every mode:
// every answer is delivered exactly once and the result is complete.
func TestFaultCallbacksArriveDuringInvocation(t *testing.T) {
	const n = 8
	want := `"`
	for i := 0; i < n; i++ {
		want += "r" + strconv.Itoa(i)
	}
	want += `"`
	for _, m := range faultModes {
		t.Run(m.name, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 2*n)
			var svc *local.Service
			h := durable.NewHandler(callbackStorm(func() *local.Service { return svc }, &wg, errs),
				durable.WithCheckpointMode(m.mode), durable.WithLogHandler(discard{}))
			r := newRunner(t, h)
			svc = r.Service()
			ctx := context.Background()
			if err := r.Start(ctx, n); err != nil {
				t.Fatal(err)
			}
			var res *local.InvocationResult
			for i := 0; i < faultMaxInvocations && !r.Result().Done(); i++ {
				var err error
				if res, err = r.RunInvocation(ctx); err != nil {
					wg.Wait() // the racing answers may still be on their way
					if res, err = r.RunInvocation(ctx); err != nil {
						t.Fatalf("invocation %d: %v (execution %+v)", i+1, err, r.Result())
					}
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if got := r.Result(); got.Status != local.ExecutionSucceeded || got.Result != want {
				t.Fatalf("execution %+v (last invocation %+v), want %s", got, res, want)
			}
			for _, ev := range r.History() {
				if ev.EventType == local.EventInvocationCompleted && ev.InvocationCompletedDetails.Error != nil {
					t.Errorf("invocation failed: %+v", ev.InvocationCompletedDetails.Error)
				}
			}
		})
	}
}

// abandonWorkflow runs a parallel that completes as soon as one branch
// succeeds, while another branch is inside a step body and a third waits:
// both are abandoned. The busy body finishes after the parallel has
// closed; neither abandoned branch may record anything afterwards.
func abandonWorkflow(p *faultProbe) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, in int) (string, error) {
		closed := make(chan struct{})
		res, err := durable.Parallel(ctx, "race", []durable.Branch[int]{
			{Name: "fast", Func: func(c durable.Context) (int, error) {
				return durable.Step(c, "quick", faultProbed(p, "quick", false, func(durable.StepContext) (int, error) { return in, nil }))
			}},
			{Name: "busy", Func: func(c durable.Context) (int, error) {
				return durable.Step(c, "slow", faultProbed(p, "slow", false, func(sc durable.StepContext) (int, error) {
					select { // returns once the parallel is over (or the invocation)
					case <-closed:
					case <-sc.Done():
					}
					return 2, nil
				}))
			}},
			{Name: "sleepy", Func: func(c durable.Context) (int, error) {
				if err := durable.Wait(c, "nap", time.Hour); err != nil {
					return 0, err
				}
				return durable.Step(c, "late", faultProbed(p, "late", false, func(durable.StepContext) (int, error) { return 3, nil }))
			}},
		}, durable.WithMinSuccessful(1))
		close(closed)
		if err != nil {
			return "", err
		}
		// Give the released body the time of another durable step to try
		// to record its outcome.
		after, err := durable.Step(ctx, "after", faultProbed(p, "after", false, func(durable.StepContext) (int, error) { return 4, nil }))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d succeeded, then %d", res.SuccessCount(), after), nil
	}
}

// TestFaultAbandonedBranchesRecordNothing checks, in every mode, that once
// a context is closed no update of an operation under it is sent (the
// abandoned wait is cancelled before the parallel closes), and that the
// outcome is the expected one.
func TestFaultAbandonedBranchesRecordNothing(t *testing.T) {
	for _, m := range faultModes {
		t.Run(m.name, func(t *testing.T) {
			got, err := runFaultScenario(t, faultScenario{workflow: abandonWorkflow, mode: m.mode})
			if err != nil {
				t.Fatal(err)
			}
			if got.res.Status != local.ExecutionSucceeded || got.res.Result != `"1 succeeded, then 4"` {
				t.Fatalf("execution %+v", got.res)
			}
			parent := map[string]string{}
			closedAt := map[string]int{}
			for i, u := range got.inj.Updates() {
				if u.ParentId != "" {
					parent[u.Id] = u.ParentId
				}
				for p := parent[u.Id]; p != ""; p = parent[p] {
					if at, ok := closedAt[p]; ok {
						t.Errorf("update %d (%s %s %s) written under context %s, closed by update %d", i, u.Action, u.Type, u.Name, p, at)
					}
				}
				if u.Type == checkpoint.TypeContext && (u.Action == checkpoint.ActionSucceed || u.Action == checkpoint.ActionFail) {
					if _, ok := closedAt[u.Id]; !ok {
						closedAt[u.Id] = i
					}
				}
			}
		})
	}
}
