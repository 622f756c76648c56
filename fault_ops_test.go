package durable_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
)

// faultPricer is the chained-invoke target of opsFaultWorkflow: a durable
// function with a step of its own.
func faultPricer() *durable.Handler {
	return durable.NewHandler(func(ctx durable.Context, in int) (int, error) {
		return durable.Step(ctx, "price", func(durable.StepContext) (int, error) { return in * 100, nil })
	}, durable.WithLogHandler(discard{}))
}

// faultProbedState wraps a WaitForCondition check so that p watches it as a
// step body.
func faultProbedState[S any](p *faultProbe, name string, fn func(durable.StepContext, S) (S, error)) func(durable.StepContext, S) (S, error) {
	return func(sc durable.StepContext, s S) (S, error) {
		return faultProbed(p, name, false, func(sc durable.StepContext) (S, error) { return fn(sc, s) })(sc)
	}
}

// faultProbedSubmit wraps a WaitForCallback submitter so that p watches it
// as a step body.
func faultProbedSubmit(p *faultProbe, name string, fn func(durable.StepContext, string) error) func(durable.StepContext, string) error {
	return func(sc durable.StepContext, id string) error {
		_, err := faultProbed(p, name, false, func(sc durable.StepContext) (struct{}, error) { return struct{}{}, fn(sc, id) })(sc)
		return err
	}
}

// opsFaultWorkflow covers chained invokes (at the top and in a child
// context), a wait-for-condition that polls three times, a wait-for-callback
// and steps of both semantics. Every body passes probe points (faultProbe.work)
// at which the invocation may be killed.
func opsFaultWorkflow(p *faultProbe) func(durable.Context, int) (string, error) {
	amo := []durable.StepOption{durable.WithAtMostOncePerRetry(), durable.WithRetry(retry.Fixed(3, time.Second))}
	return func(ctx durable.Context, in int) (string, error) {
		a, err := durable.Step(ctx, "a", faultProbed(p, "a", false, func(sc durable.StepContext) (int, error) {
			return in + 1, p.work(sc, 3)
		}))
		if err != nil {
			return "", err
		}
		quote, err := durable.Invoke[int](ctx, "quote", "pricer", a)
		if err != nil {
			return "", err
		}
		polls, err := durable.WaitForCondition(ctx, "ready", faultProbedState(p, "ready", func(sc durable.StepContext, n int) (int, error) {
			return n + 1, p.work(sc, 2)
		}), durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 3 }, retry.Fixed(60, 2*time.Second))))
		if err != nil {
			return "", err
		}
		approval, err := durable.WaitForCallback[string](ctx, "approve", faultProbedSubmit(p, "submit", func(sc durable.StepContext, id string) error {
			if id == "" {
				return fmt.Errorf("no callback id")
			}
			return p.work(sc, 4)
		}))
		if err != nil {
			return "", err
		}
		b, err := durable.Step(ctx, "b", faultProbed(p, "b", true, func(sc durable.StepContext) (int, error) {
			return quote + polls, p.work(sc, 3)
		}), amo...)
		if err != nil {
			return "", err
		}
		second, err := durable.RunInChildContext(ctx, "child", func(cc durable.Context) (int, error) {
			x, err := durable.Step(cc, "x", faultProbed(p, "x", false, func(sc durable.StepContext) (int, error) {
				return b + 1, p.work(sc, 2)
			}))
			if err != nil {
				return 0, err
			}
			return durable.Invoke[int](cc, "requote", "pricer", x)
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("a=%d quote=%d polls=%d approval=%s b=%d second=%d", a, quote, polls, approval, b, second), nil
	}
}

// opsFaultScenario is opsFaultWorkflow with its chained-invoke target.
func opsFaultScenario() faultScenario {
	return faultScenario{workflow: opsFaultWorkflow, functions: []durabletest.Option{durabletest.WithFunction("pricer", faultPricer())}}
}

// wantOpsFaultResult checks the fault-free run of opsFaultWorkflow.
func wantOpsFaultResult(t *testing.T, ref *faultOutcome) {
	t.Helper()
	if want := strconv.Quote("a=6 quote=600 polls=3 approval=ok-approve-callback b=603 second=60400"); ref.res.Result != want {
		t.Fatalf("fault-free result %s, want %s", ref.res.Result, want)
	}
}

// TestFaultCrashChainedInvokeAndWaits kills the invocation of a workflow
// with chained invokes, a wait-for-condition and a wait-for-callback at
// every call it makes to the service (before and after the service applies
// it) and inside every step body run (condition checks and the callback's
// submitter included), in every checkpoint mode: the execution ends as the
// fault-free run did, no recorded outcome changes, and no more step bodies
// re-run than the mode documents.
func TestFaultCrashChainedInvokeAndWaits(t *testing.T) {
	runFaultMatrixOf(t, opsFaultScenario(), func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		wantOpsFaultResult(t, ref)
		check := checkFaultCrash(m.rerunBound)
		cases := crashTargetCases(ref, check)
		for n := 1; n <= ref.bodyRuns; n++ {
			for _, block := range []bool{true, false} {
				cases = append(cases, faultCase{name: fmt.Sprintf("crash in body run %d of %d (blocking %v)", n, ref.bodyRuns, block),
					sc: faultScenario{crashAt: n, crashBlock: block}, check: check})
			}
		}
		return cases
	})
}

// faultSeedEnv overrides the seed of TestFaultCrashAtRandomPointsInBodies
// (the test logs the seed it used).
const faultSeedEnv = "DURABLE_FAULT_SEED"

// faultRandomCrashes is how many random crashes each mode gets.
const faultRandomCrashes = 30

// TestFaultCrashAtRandomPointsInBodies kills the invocation at random probe
// points inside the step bodies of opsFaultWorkflow (not only at their
// start): the body either blocks there until its context ends, or carries
// on and returns normally after the kill (its outcome must not be
// recorded). The points are drawn from a seeded generator, so a failure
// reproduces with the logged seed (set it with DURABLE_FAULT_SEED).
func TestFaultCrashAtRandomPointsInBodies(t *testing.T) {
	seed := uint64(20261126)
	if s := os.Getenv(faultSeedEnv); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", faultSeedEnv, s, err)
		}
		seed = v
	}
	t.Logf("seed %d (%s)", seed, faultSeedEnv)
	runFaultMatrixOf(t, opsFaultScenario(), func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		wantOpsFaultResult(t, ref)
		if ref.points == 0 {
			t.Fatal("the fault-free run passed no probe point")
		}
		rng := rand.New(rand.NewPCG(seed, uint64(len(m.name))))
		var cases []faultCase
		for i := 0; i < faultRandomCrashes; i++ {
			point, block := 1+rng.IntN(ref.points), rng.IntN(2) == 0
			cases = append(cases, faultCase{name: fmt.Sprintf("seed %d: crash at probe point %d of %d (blocking %v)", seed, point, ref.points, block),
				sc: faultScenario{crashAtPoint: point, crashBlock: block}, check: checkFaultCrash(m.rerunBound)})
		}
		return cases
	})
}
