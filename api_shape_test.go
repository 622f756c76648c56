package durable_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/serdes"
)

// One sentinel family: a cancelled wait matches ErrCancelled like every
// other cancelled operation.
func TestErrWaitCancelledIsErrCancelled(t *testing.T) {
	if !errors.Is(durable.ErrWaitCancelled, durable.ErrCancelled) {
		t.Fatal("errors.Is(ErrWaitCancelled, ErrCancelled) is false")
	}
	if errors.Is(durable.ErrCancelled, durable.ErrWaitCancelled) {
		t.Fatal("ErrCancelled matches ErrWaitCancelled: a cancelled callback would look like a wait")
	}
}

// A cancelled WaitAsync's future returns an error matching both sentinels.
func TestCancelledWaitMatchesErrCancelled(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		w := durable.WaitAsync(ctx, "w", durable.Seconds(60))
		w.Cancel()
		_, err := w.Get()
		return fmt.Sprint(errors.Is(err, durable.ErrWaitCancelled), errors.Is(err, durable.ErrCancelled)), nil
	}, quietLogs()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"true true"` {
		t.Fatalf("errors.Is(err, ErrWaitCancelled), errors.Is(err, ErrCancelled) = %s, want true true", res.Result)
	}
}

// A callback completed without a result decodes to the zero value whatever
// the result type: nil for any and for *string alike, with CreateCallback
// and WaitForCallback.
func TestEmptyCallbackResultIsZeroValue(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		a, err := durable.CreateCallback[any](ctx, "any")
		if err != nil {
			return "", err
		}
		p, err := durable.CreateCallback[*string](ctx, "ptr")
		if err != nil {
			return "", err
		}
		w := durable.WaitForCallbackAsync[any](ctx, "wait", func(durable.StepContext, string) error { return nil })
		av, err1 := a.Get()
		pv, err2 := p.Get()
		wv, err3 := w.Get()
		if err := errors.Join(err1, err2, err3); err != nil {
			return "", err
		}
		return fmt.Sprintf("%#v %#v %#v", av, pv, wv), nil
	}, quietLogs()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionRunning)
	for _, cb := range r.OpenCallbacks() {
		if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, nil); err != nil {
			t.Fatal(err)
		}
	}
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"<nil> (*string)(nil) <nil>"` {
		t.Fatalf("empty results decoded as %s, want nil for each", res.Result)
	}
}

// upperDecoder only decodes: callbacks and invokes take a Deserializer.
type upperDecoder struct{}

func (upperDecoder) Deserialize(_ serdes.Context, data string, into any) error {
	p, ok := into.(*string)
	if !ok {
		return fmt.Errorf("want *string, got %T", into)
	}
	*p = strings.ToUpper(data)
	return nil
}

func TestDecodeOnlyResultSerdes(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "cb", durable.WithResultSerdes(upperDecoder{}))
		if err != nil {
			return "", err
		}
		v, err := cb.Get()
		if err != nil {
			return "", err
		}
		w, err := durable.WaitForCallback[string](ctx, "wfc", func(durable.StepContext, string) error { return nil },
			durable.WithResultSerdes(upperDecoder{}))
		return v + " " + w, err
	}, quietLogs()))
	res := mustRun(t, r, nil)
	for _, answer := range []string{"yes", "ok"} {
		wantStatus(t, res, local.ExecutionRunning)
		if err := r.SendCallbackSuccess(context.Background(), openCallback(t, r).CallbackId, []byte(answer)); err != nil {
			t.Fatal(err)
		}
		res = mustResume(t, r)
	}
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"YES OK"` {
		t.Fatalf("result %s, want \"YES OK\"", res.Result)
	}
}
