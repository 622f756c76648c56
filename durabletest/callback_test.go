package durabletest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// flakySubmitter is a workflow whose WaitForCallback submitter fails its
// first attempt; sent receives the callback id it finally submits.
func flakySubmitter(sent *string) func(durable.Context, string) (string, error) {
	return func(ctx durable.Context, doc string) (string, error) {
		answer, err := durable.WaitForCallback[string](ctx, "approval", func(sc durable.StepContext, callbackID string) error {
			if sc.Attempt() == 1 {
				return errors.New("mail server down")
			}
			*sent = callbackID
			return nil
		}, durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(3, 30*time.Second))), durable.WithCallbackTimeout(time.Hour))
		return doc + ": " + answer, err
	}
}

// Run skips the submitter's retry delay (a timer, not the outside world)
// and stops once the callback id has been handed out; Callback finds the
// callback by the WaitForCallback's name.
func TestRunWaitsForTheSubmittedCallback(t *testing.T) {
	ctx := context.Background()
	var sent string
	r := durabletest.New(durable.NewHandler(flakySubmitter(&sent), quiet))
	defer r.Close()
	res, err := r.Run(ctx, "contract")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionRunning || sent == "" {
		t.Fatalf("Run returned %s with the callback id submitted: %v; want RUNNING once the retried submitter handed it out", res.Status, sent != "")
	}
	if got := r.Now().Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); got != 30*time.Second {
		t.Errorf("virtual time went %s, want the 30s retry delay only (not the callback's 1h timeout)", got)
	}
	cb, err := r.Callback("approval")
	if err != nil {
		t.Fatal(err)
	}
	if cb.CallbackId != sent {
		t.Errorf("Callback(approval) = %s, want the submitted id %s", cb.CallbackId, sent)
	}
	if err := r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("signed")); err != nil {
		t.Fatal(err)
	}
	if res, err = r.Resume(ctx); err != nil || res.Result != `"contract: signed"` {
		t.Fatalf("after the answer: %+v %v", res, err)
	}
}

// A callback made by CreateCallback is handed out at once: Run stops there
// and does not skip the other branch's timer.
func TestRunStopsAtAnOpenCallbackBeforeOtherTimers(t *testing.T) {
	ctx := context.Background()
	wf := func(ctx durable.Context, _ string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "grace", time.Hour); err != nil {
			return "", err
		}
		return cb.Get()
	}
	r := durabletest.New(durable.NewHandler(wf, quiet))
	defer r.Close()
	start := r.Now()
	res, err := r.Run(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionRunning || r.Now() != start {
		t.Errorf("Run: %s after %s, want RUNNING with the clock still (the callback was handed out)", res.Status, r.Now().Sub(start))
	}
	if _, err := r.Callback("no-such"); err == nil {
		t.Error("Callback of an unknown name: no error")
	}
}
