package durable_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
	"github.com/lambda-durable/durable/retry"
)

// httpFaultWorkflow is a short workflow for the wire tests: steps of both
// semantics, a wait (a suspension) and a child context.
func httpFaultWorkflow(p *faultProbe) func(durable.Context, int) (string, error) {
	return func(ctx durable.Context, in int) (string, error) {
		a, err := durable.Step(ctx, "a", faultProbed(p, "a", false, func(durable.StepContext) (int, error) { return in + 1, nil }))
		if err != nil {
			return "", err
		}
		b, err := durable.Step(ctx, "b", faultProbed(p, "b", true, func(durable.StepContext) (int, error) { return in * 2, nil }),
			durable.WithAtMostOncePerRetry(), durable.WithRetry(retry.Fixed(3, time.Second)))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Minute); err != nil {
			return "", err
		}
		c, err := durable.RunInChildContext(ctx, "child", func(cc durable.Context) (int, error) {
			return durable.Step(cc, "x", faultProbed(p, "x", false, func(durable.StepContext) (int, error) { return a * b, nil }))
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d-%d-%d", a, b, c), nil
	}
}

// httpRun is one execution over the wire.
type httpRun struct {
	status   local.ExecutionStatus
	result   string
	err      string
	failures int // invocations that ended with an error
	inj      *faultinject.Injector
}

// runOverHTTP runs httpFaultWorkflow through the aws-sdk-go-v2 Lambda client
// and the local service's HTTP front, with inj between them. The client's
// retryer keeps its three attempts but does not sleep between them.
func runOverHTTP(t *testing.T, inj *faultinject.Injector) *httpRun {
	t.Helper()
	clock := local.NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := local.New(local.WithClock(clock), local.WithTimeSkipping(local.SkipWhenIdle))
	defer svc.Close()
	srv, err := httpapi.Listen("127.0.0.1:0", inj.HTTP(httpapi.NewHandler(svc)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := httpapi.LambdaClient(srv.URL(), func(o *lambda.Options) {
		o.HTTPClient = &http.Client{Transport: inj.Transport(http.DefaultTransport.(*http.Transport).Clone())}
		o.Retryer = awsretry.NewStandard(func(so *awsretry.StandardOptions) {
			so.MaxAttempts = 3
			so.RateLimiter = ratelimit.None
			so.Backoff = awsretry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
	p := newFaultProbe()
	h := durable.NewHandler(httpFaultWorkflow(p), durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)), durable.WithLogHandler(discard{}))
	if err := svc.RegisterFunction("wf", inj.Function(h), local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "wf", Input: []byte("5")})
	if err != nil {
		t.Fatalf("execution did not end: %v", err)
	}
	if err := p.err(); err != nil {
		t.Error(err)
	}
	out, err := svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	run := &httpRun{status: out.Status, inj: inj}
	if out.Result != nil {
		run.result = *out.Result
	}
	if out.Error != nil {
		run.err = out.Error.ErrorType + ": " + out.Error.ErrorMessage
	}
	hist, err := svc.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range hist.Events {
		if ev.EventType == local.EventInvocationCompleted && ev.InvocationCompletedDetails.Error != nil {
			run.failures++
		}
	}
	return run
}

// TestFaultOverHTTP injects faults on the wire between the real AWS client
// and the local service's HTTP front, at the request carrying each update
// of the fault-free run. Faults the AWS client retries (throttling, 5xx,
// dropped connections) are injected for all three of its attempts: the
// invocation then ends with an error and the next one resumes; injected
// once, the retryer absorbs them. A response lost after the service applied
// the request is retried by the AWS client with the same client token and
// answered identically, so nothing fails. A request that times out on the
// client (its deadline passes before any answer; the service never sees it)
// is retried the same way. A crash kills the invocation before the service
// sees the request, or after it applied it: the service records a runtime
// exit and invokes again. Terminal faults end the execution FAILED with the
// service's error code.
func TestFaultOverHTTP(t *testing.T) {
	ref := runOverHTTP(t, faultinject.New())
	if ref.status != local.ExecutionSucceeded || ref.failures != 0 {
		t.Fatalf("fault-free run: %+v", ref)
	}
	cases := []struct {
		kind     faultinject.Kind
		times    int
		terminal string // the error code the execution fails with ("" : it succeeds)
		failures int    // invocations that end with an error
	}{
		{faultinject.Throttle, 3, "", 1},
		{faultinject.ServerError, 3, "", 1},
		{faultinject.NetworkReset, 3, "", 1},
		{faultinject.Timeout, 3, "", 1},
		{faultinject.Timeout, 1, "", 0}, // absorbed by the AWS client's retryer
		{faultinject.Crash, 1, "", 1},
		{faultinject.CrashAfterApply, 1, "", 1},
		{faultinject.StaleToken, 1, "", 1},
		{faultinject.Throttle, 1, "", 0}, // absorbed by the AWS client's retryer
		{faultinject.LostResponse, 1, "", 0},
		{faultinject.KMS, 3, "KMSAccessDeniedException", 0},
		{faultinject.BadRequest, 1, local.CodeInvalidParameterValue, 0},
		{faultinject.TooLarge, 1, local.CodeRequestTooLarge, 0},
		{faultinject.NoToken, 1, "no checkpoint token", 0},
	}
	var tally faultTally
	for _, tc := range cases {
		for _, target := range faultTargets(ref.inj) {
			rule := target.rule
			rule.Kind, rule.Times = tc.kind, tc.times
			inj := faultinject.New(rule)
			got := runOverHTTP(t, inj)
			err := checkHTTPRun(ref, got, tc.terminal, tc.failures)
			if err == nil && tc.kind == faultinject.LostResponse {
				err = checkIdempotentRetry(inj.Traffic())
			}
			if err == nil {
				err = checkHTTPCrashes(inj, tc.kind)
			}
			if err == nil {
				err = inj.Err()
			}
			tally.add(inj.Injected(), err == nil)
			if err != nil {
				t.Errorf("%s x%d at %s: %v", tc.kind, tc.times, target.name, err)
			}
		}
	}
	tally.log(t)
}

// checkHTTPCrashes checks that a crash fault killed exactly one
// invocation and that no other fault killed any.
func checkHTTPCrashes(inj *faultinject.Injector, k faultinject.Kind) error {
	want := 0
	if k == faultinject.Crash || k == faultinject.CrashAfterApply {
		want = 1
	}
	if n := inj.Crashes(); n != want {
		return fmt.Errorf("%d crashed invocations, want %d", n, want)
	}
	return nil
}

func checkHTTPRun(ref, got *httpRun, terminal string, failures int) error {
	if got.inj.Injected() == 0 {
		return fmt.Errorf("no fault injected")
	}
	if terminal != "" {
		if got.status != local.ExecutionFailed || !strings.HasPrefix(got.err, "CheckpointError: ") || !strings.Contains(got.err, terminal) {
			return fmt.Errorf("execution %s %q, want FAILED with a CheckpointError naming %s", got.status, got.err, terminal)
		}
		return nil
	}
	if got.status != ref.status || got.result != ref.result {
		return fmt.Errorf("execution %s %q %q, want %s %q", got.status, got.result, got.err, ref.status, ref.result)
	}
	if got.failures != failures {
		return fmt.Errorf("%d failed invocations, want %d", got.failures, failures)
	}
	return nil
}

// checkIdempotentRetry finds the request whose answer was lost and checks
// that the AWS client sent it again with the same tokens and got the same
// answer.
func checkIdempotentRetry(traffic []faultinject.Exchange) error {
	for i, ex := range traffic {
		if ex.Fault != faultinject.LostResponse {
			continue
		}
		if i+1 >= len(traffic) {
			return fmt.Errorf("the lost request was never retried")
		}
		again := traffic[i+1]
		switch {
		case ex.ClientToken == "":
			return fmt.Errorf("the request carried no client token")
		case again.ClientToken != ex.ClientToken || again.CheckpointToken != ex.CheckpointToken:
			return fmt.Errorf("the retry carried tokens %s/%s, the original %s/%s", again.ClientToken, again.CheckpointToken, ex.ClientToken, ex.CheckpointToken)
		case ex.Status != 200 || again.Status != 200 || !bytes.Equal(ex.Body, again.Body):
			return fmt.Errorf("the retry was answered %d %s, the original %d %s", again.Status, again.Body, ex.Status, ex.Body)
		}
		return nil
	}
	return fmt.Errorf("no request lost its answer")
}
