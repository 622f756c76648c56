package durable_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
)

// faultServiceKinds are the faults of the service and of the network between
// the function and the service.
var faultServiceKinds = []faultinject.Kind{
	faultinject.Throttle, faultinject.ServerError, faultinject.NetworkReset, faultinject.Timeout,
	faultinject.LostResponse, faultinject.LostResponseRetried, faultinject.StaleToken, faultinject.NoToken,
	faultinject.BadRequest, faultinject.KMS, faultinject.TooLarge,
}

// checkServiceFault checks a run with one service fault against the
// contract: a retryable fault ends one invocation with a retryable error and
// the next resumes to the fault-free result; a terminal fault ends the
// execution FAILED with a clear checkpoint error; an idempotent retry
// changes nothing.
func checkServiceFault(ref, got *faultOutcome, runErr error, k faultinject.Kind) error {
	if runErr != nil {
		return runErr
	}
	if got.inj.Injected() != 1 {
		return fmt.Errorf("%d faults injected, want 1", got.inj.Injected())
	}
	switch {
	case k.Retryable():
		if err := faultSameOutcome(ref, got); err != nil {
			return err
		}
		if got.failures != 1 || len(got.handlerErrs) != 1 {
			return fmt.Errorf("%d failed invocations (handler errors %v), want 1", got.failures, got.handlerErrs)
		}
		if err := got.handlerErrs[0]; !durable.IsRetryable(err) {
			return fmt.Errorf("the handler returned %v, not a retryable error", err)
		}
	case k.Terminal():
		if got.res.Status != local.ExecutionFailed || got.res.Error == nil {
			return fmt.Errorf("execution %+v, want FAILED", got.res)
		}
		want := "no checkpoint token"
		if ae := k.APIError(); ae != nil {
			want = ae.Code
		}
		if e := got.res.Error; e.ErrorType != "CheckpointError" || !strings.Contains(e.ErrorMessage, want) {
			return fmt.Errorf("execution error %+v, want a CheckpointError naming %q", e, want)
		}
		if got.failures != 0 {
			return fmt.Errorf("%d failed invocations before FAILED (handler errors %v), want 0", got.failures, got.handlerErrs)
		}
	default: // answered idempotently: nothing fails
		if err := faultSameOutcome(ref, got); err != nil {
			return err
		}
		if got.failures != 0 {
			return fmt.Errorf("%d failed invocations (handler errors %v), want 0", got.failures, got.handlerErrs)
		}
	}
	return nil
}

// TestFaultServiceErrorsAtEveryCall injects each service and network fault
// into every call the SDK makes to the in-process service (the call
// carrying each update, and each state page), in every checkpoint mode,
// and checks the outcome the contract prescribes (see checkServiceFault).
// Service errors are produced by the service itself (its API hook), so the
// in-process client classifies them.
func TestFaultServiceErrorsAtEveryCall(t *testing.T) {
	runFaultMatrix(t, nil, func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase {
		var cases []faultCase
		for _, k := range faultServiceKinds {
			for _, target := range faultTargets(ref.inj) {
				if k == faultinject.NoToken && target.rule.Op == faultinject.OpGetState {
					continue // reads carry no token
				}
				cases = append(cases, faultCase{name: k.String() + " at " + target.name, sc: faultScenario{rules: target.with(k)},
					check: func(ref, got *faultOutcome, runErr error) error { return checkServiceFault(ref, got, runErr, k) }})
			}
		}
		return cases
	})
}

// TestFaultPersistentThrottlingEndsTheExecution throttles every call: the
// service retries the invocation within its budget and then fails the
// execution; the SDK never loops inside an invocation.
func TestFaultPersistentThrottlingEndsTheExecution(t *testing.T) {
	got, err := runFaultScenario(t, faultScenario{mode: faultModes[0].mode, rules: []faultinject.Rule{{At: 1, Times: 1 << 30, Kind: faultinject.Throttle}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.res.Status != local.ExecutionFailed {
		t.Fatalf("execution %+v, want FAILED once the invocation budget is spent", got.res)
	}
	// Budget 5: six invocations, each stopped at its first call.
	if got.invs != 6 || got.inj.Calls("") != 6 {
		t.Fatalf("%d invocations and %d calls, want 6 and 6", got.invs, got.inj.Calls(""))
	}
	for _, e := range got.handlerErrs {
		if !durable.IsRetryable(e) {
			t.Errorf("handler error %v is not retryable", e)
		}
	}
}
