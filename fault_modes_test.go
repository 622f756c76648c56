package durable_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
)

// TestFaultCrashMidBodyKeepsTheStart kills the invocation while a long
// at-least-once step body runs inside a child context, in every mode, once
// the body has run long enough for its START to leave (StartDelay): the
// service holds the context's and the step's STARTs, and the history then
// reads as AWS's SDKs record it: ContextStarted and StepStarted once, the
// crashed invocation, then StepSucceeded (the re-run sends no second
// START) and ContextSucceeded.
func TestFaultCrashMidBodyKeepsTheStart(t *testing.T) {
	for _, m := range faultModes {
		t.Run(m.name, func(t *testing.T) {
			inj := faultinject.New()
			var (
				r       *durabletest.Runner
				runs    atomic.Int32
				started = make(chan error, 1)
			)
			h := durable.NewHandler(func(ctx durable.Context, _ int) (int, error) {
				return durable.RunInChildContext(ctx, "outer", func(c durable.Context) (int, error) {
					return durable.Step(c, "long", func(sc durable.StepContext) (int, error) {
						if runs.Add(1) > 1 {
							return 42, nil
						}
						// The first run outlasts StartDelay: both STARTs
						// reach the service while it runs, then it dies.
						started <- awaitStarted(r, []string{"outer", "long"})
						faultinject.Kill(sc)
						<-sc.Done()
						return 0, sc.Err()
					})
				})
			}, durable.WithCheckpointMode(m.mode), durable.WithLogHandler(discard{}), durable.WithCheckpointMiddleware(inj.Middleware()))
			r = durabletest.New(inj.Function(h))
			defer r.Close()
			ctx := context.Background()
			if err := r.Start(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := r.RunInvocation(ctx); err != nil {
				t.Fatal(err)
			}
			if err := <-started; err != nil {
				t.Fatal(err)
			}
			res, err := r.Resume(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != local.ExecutionSucceeded || res.Result != "42" || inj.Crashes() != 1 || runs.Load() != 2 {
				t.Fatalf("execution %+v after %d crashes and %d body runs", res, inj.Crashes(), runs.Load())
			}
			var got []string
			for _, ev := range r.History() {
				switch ev.EventType {
				case local.EventExecutionStarted, local.EventExecutionSucceeded:
				case local.EventInvocationCompleted:
					got = append(got, "Invocation")
				default:
					got = append(got, string(ev.EventType)+" "+ev.Name)
				}
			}
			want := "ContextStarted outer, StepStarted long, Invocation, StepSucceeded long, ContextSucceeded outer, Invocation"
			if g := strings.Join(got, ", "); g != want {
				t.Fatalf("history\n got %s\nwant %s", g, want)
			}
			starts := 0
			for _, u := range inj.Updates() {
				if u.Type == checkpoint.TypeStep && u.Action == checkpoint.ActionStart {
					starts++
				}
			}
			if starts != 1 {
				t.Fatalf("%d STEP STARTs sent, want 1 (the re-run sends none)", starts)
			}
		})
	}
}

// awaitStarted waits until the service holds each named operation
// STARTED, or fails after a deadline.
func awaitStarted(r *durabletest.Runner, names []string) error {
	end := time.Now().Add(10 * time.Second)
	for {
		missing := ""
		for _, name := range names {
			if op, ok := r.Operation(name); !ok || op.Status != checkpoint.StatusStarted {
				missing = name
				break
			}
		}
		if missing == "" {
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("%s is not recorded STARTED while the body runs", missing)
		}
		time.Sleep(time.Millisecond)
	}
}

// Re-run bounds of the reliability guide, tested on sequential steps and on
// map items running boundConcurrency at a time.
const (
	boundSteps       = 24
	boundItems       = 16
	boundConcurrency = 4
	boundMaxUpdates  = 4
)

var boundModes = []faultMode{
	{"eager", checkpoint.Eager{}, 0},
	{"batched", checkpoint.Batched{MaxUpdates: boundMaxUpdates}, 0},
}

// rerunBound is the most step bodies one crash may re-run in mode m with
// c bodies running at once: eager, one per running body; Batched{n}, n-1
// more (docs/reliability.md).
func rerunBound(m checkpoint.Mode, c int) int {
	if b, ok := m.(checkpoint.Batched); ok {
		return b.MaxUpdates + c - 1
	}
	return c
}

func boundSequential(p *faultProbe) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, _ int) (string, error) {
		sum := 0
		for i := range boundSteps {
			v, err := durable.Step(ctx, "s", faultProbed(p, "s-"+strconv.Itoa(i), false,
				func(durable.StepContext) (int, error) { return i, nil }))
			if err != nil {
				return "", err
			}
			sum += v
		}
		return strconv.Itoa(sum), nil
	}
}

func boundMap(p *faultProbe) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, _ int) (string, error) {
		items := make([]int, boundItems)
		for i := range items {
			items[i] = i
		}
		res, err := durable.Map(ctx, "items", items, func(c durable.Context, i, item int) (int, error) {
			return durable.Step(c, "item", faultProbed(p, "item-"+strconv.Itoa(i), false,
				func(durable.StepContext) (int, error) { return item, nil }))
		}, durable.WithMaxConcurrency(boundConcurrency))
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
		return strconv.Itoa(sum), nil
	}
}

// TestFaultReRunBounds crashes once at every checkpoint call (before and
// after the service applies it) and inside every step body, and counts the
// step bodies that ran again: never more than the mode's bound, for
// sequential steps (one body at a time) and for map items (four at a
// time). Optimistic has no bound and is not listed.
func TestFaultReRunBounds(t *testing.T) {
	for _, shape := range []struct {
		name     string
		workflow func(*faultProbe) func(durable.Context, int) (string, error)
		bodies   int // running at once
	}{
		{"sequential", boundSequential, 1},
		{"map", boundMap, boundConcurrency},
	} {
		for _, m := range boundModes {
			t.Run(shape.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				bound := rerunBound(m.mode, shape.bodies)
				ref := faultReference(t, faultScenario{workflow: shape.workflow, mode: m.mode})
				check := checkFaultCrash(bound)
				var cases []faultCase
				cases = append(cases, crashTargetCases(ref, check)...)
				for n := 1; n <= ref.bodyRuns; n++ {
					cases = append(cases, faultCase{name: fmt.Sprintf("crash in body run %d", n),
						sc: faultScenario{crashAt: n, crashBlock: true}, check: check})
				}
				worst := 0
				for _, c := range cases {
					c.sc.workflow, c.sc.mode = shape.workflow, m.mode
					got, err := runFaultScenario(t, c.sc)
					if err := c.check(ref, got, err); err != nil {
						t.Errorf("%s: %v", c.name, err)
					}
					worst = max(worst, got.bodyRuns-ref.bodyRuns)
				}
				t.Logf("%s: %d crashes: at most %d bodies re-ran (bound %d)", t.Name(), len(cases), worst, bound)
			})
		}
	}
}

// TestFaultBatchedFirstRequestCrash is the report of issue 15: Batched with
// MaxUpdates 10 re-ran every one of 100 steps after a crash at its first
// request. Now no more than MaxUpdates updates are ever not durable once a
// step returns: the crash re-runs at most 10 bodies.
func TestFaultBatchedFirstRequestCrash(t *testing.T) {
	hundred := func(p *faultProbe) func(durable.Context, int) (string, error) {
		return func(ctx durable.Context, _ int) (string, error) {
			for i := range 100 {
				if _, err := durable.Step(ctx, "s", faultProbed(p, "s-"+strconv.Itoa(i), false,
					func(durable.StepContext) (int, error) { return i, nil })); err != nil {
					return "", err
				}
			}
			return "done", nil
		}
	}
	mode := checkpoint.Batched{MaxUpdates: 10}
	ref := faultReference(t, faultScenario{workflow: hundred, mode: mode})
	got, err := runFaultScenario(t, faultScenario{workflow: hundred, mode: mode,
		rules: []faultinject.Rule{{Op: faultinject.OpCheckpoint, At: 1, Kind: faultinject.Crash}}})
	if err := checkFaultCrash(10)(ref, got, err); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of 100 bodies re-ran", got.bodyRuns-ref.bodyRuns)
}
