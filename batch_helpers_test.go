package durable_test

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// quietLogs keeps the SDK's logs out of the test output.
func quietLogs() durable.HandlerOption { return durable.WithLogHandler(slog.DiscardHandler) }

// projection is the summary of a batch result the conformance handlers
// return.
type projection struct {
	CompletionReason durable.CompletionReason `json:"completionReason"`
	Status           string                   `json:"status"`
	SuccessCount     int                      `json:"successCount"`
	FailureCount     int                      `json:"failureCount"`
	StartedCount     int                      `json:"startedCount"`
	TotalCount       int                      `json:"totalCount"`
}

func project[O any](b *durable.BatchResult[O]) projection {
	return projection{
		CompletionReason: b.CompletionReason, Status: string(b.Status()),
		SuccessCount: b.SuccessCount(), FailureCount: b.FailureCount(),
		StartedCount: b.StartedCount(), TotalCount: b.TotalCount(),
	}
}

// runProjection runs wf to its end and decodes its projection.
func runProjection(t *testing.T, wf func(durable.Context, any) (projection, error)) (projection, *durabletest.Runner) {
	t.Helper()
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	var p projection
	if err := res.Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p, r
}

// succeedIf returns an item body that succeeds with "ok" unless fail says
// otherwise.
func succeedIf(fail func(i int) bool) func(durable.Context, int, int) (string, error) {
	return func(_ durable.Context, i int, _ int) (string, error) {
		if fail(i) {
			return "", errors.New("boom")
		}
		return "ok", nil
	}
}

// contextResults returns the payloads of the ContextSucceeded events of
// subtype subType, in order.
func contextResults(r *durabletest.Runner, subType string) []string {
	var out []string
	for _, ev := range events(r, "ContextSucceeded") {
		if ev.SubType == subType && ev.ContextSucceededDetails != nil && ev.ContextSucceededDetails.Result != nil &&
			ev.ContextSucceededDetails.Result.Payload != nil {
			out = append(out, *ev.ContextSucceededDetails.Result.Payload)
		}
	}
	return out
}

// succeeds runs wf with input to its end, checks that it succeeded with the
// JSON result want and returns the runner.
func succeeds[I, O any](t *testing.T, wf func(durable.Context, I) (O, error), input any, want string) *durabletest.Runner {
	t.Helper()
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, input)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != want {
		t.Errorf("result = %s, want %s", res.Result, want)
	}
	return r
}
