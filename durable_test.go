package durable_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// run executes h once on an in-process local service with virtual time and
// returns the finished execution.
func run(t *testing.T, h *durable.Handler, input string) *local.GetExecutionOutput {
	t.Helper()
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Unix(1_700_000_000, 0))), local.WithTimeSkipping(local.SkipWhenIdle))
	t.Cleanup(func() { svc.Close() })
	if err := svc.RegisterFunction("fn", h); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "fn", Input: []byte(input)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReplaySafeHelpers(t *testing.T) {
	type seen struct {
		uuid  string
		rnd   int
		now   time.Time
		start time.Time
	}
	var all []seen
	h := durable.NewHandler(func(ctx durable.Context, _ any) (bool, error) {
		now, err := durable.Now(ctx)
		if err != nil {
			return false, err
		}
		s := seen{uuid: durable.UUID(ctx), rnd: durable.Rand(ctx).IntN(1_000_000), now: now, start: durable.ExecutionStartTime(ctx)}
		all = append(all, s)
		if err := durable.Wait(ctx, "", durable.Seconds(5)); err != nil {
			return false, err
		}
		return s.uuid != durable.UUID(ctx), nil
	}, durable.WithLogHandler(discard{}))
	out := run(t, h, "")
	if out.Status != local.ExecutionSucceeded || *out.Result != "true" {
		t.Fatalf("%s %v %+v", out.Status, deref(out.Result), out.Error)
	}
	if len(all) != 2 || all[0].uuid != all[1].uuid || all[0].rnd != all[1].rnd || !all[0].now.Equal(all[1].now) ||
		!all[0].start.Equal(all[1].start) || all[0].start.IsZero() {
		t.Fatalf("helpers differ between replays: %+v", all)
	}
	if len(all[0].uuid) != 36 || all[0].uuid[14] != '4' {
		t.Fatalf("uuid %q", all[0].uuid)
	}
}

func TestTypedInputOutputAndSerdes(t *testing.T) {
	type in struct{ Name string }
	h := durable.NewHandler(func(ctx durable.Context, input in) (map[string]any, error) {
		v, err := durable.Step(ctx, "raw", func(durable.StepContext) (string, error) { return "plain text", nil },
			durable.WithSerdes(serdes.Raw{}), durable.WithSubType("Custom"))
		return map[string]any{"hello": input.Name, "raw": v, "payload": ctx.InputPayload()}, err
	}, durable.WithLogHandler(discard{}))
	out := run(t, h, `{"Name":"Ada"}`)
	if out.Status != local.ExecutionSucceeded || *out.Result != `{"hello":"Ada","payload":"{\"Name\":\"Ada\"}","raw":"plain text"}` {
		t.Fatalf("%s %v %+v", out.Status, deref(out.Result), out.Error)
	}
}

func TestBadInputFailsWithSerdesError(t *testing.T) {
	h := durable.NewHandler(func(ctx durable.Context, n int) (int, error) { return n, nil }, durable.WithLogHandler(discard{}))
	out := run(t, h, `"not a number"`)
	if out.Status != local.ExecutionFailed || !strings.Contains(out.Error.ErrorMessage, "deserialize") {
		t.Fatalf("%s %+v", out.Status, out.Error)
	}
}

func TestHandlerErrors(t *testing.T) {
	h := durable.NewHandler[int, int](nil)
	if h.Err() == nil {
		t.Fatal("nil workflow accepted")
	}
	if _, err := h.Invoke(context.Background(), []byte(`{}`)); err == nil {
		t.Fatal("misconfigured handler invoked")
	}
	bad := durable.NewHandler(func(ctx durable.Context, n int) (int, error) { return n, nil },
		durable.WithCheckpointMode(checkpoint.Batched{MaxUpdates: -1}))
	var ve *durable.ValidationError
	if !errors.As(bad.Err(), &ve) {
		t.Fatalf("bad mode: %v", bad.Err())
	}
	ok := durable.NewHandler(func(ctx durable.Context, n int) (int, error) { return n, nil })
	_, err := ok.Invoke(context.Background(), []byte(`{"hello":"world"}`))
	if !errors.Is(err, durable.ErrNotDurable) || !strings.Contains(err.Error(), "not a durable invocation") {
		t.Fatalf("plain event: %v", err)
	}
}

func TestErrorObjectRoundTrip(t *testing.T) {
	o := durable.ErrorObject{ErrorType: "T", ErrorMessage: "m", ErrorData: "d", StackTrace: []string{"a", "b"}}
	if got := durable.ToErrorObject(durable.FromErrorObject(o)); !reflect.DeepEqual(got, o) {
		t.Fatalf("%+v", got)
	}
	step := &durable.StepError{OperationID: "1", Object: o}
	if got := durable.ToErrorObject(step); !reflect.DeepEqual(got, o) {
		t.Fatalf("%+v", got)
	}
	wrapped := durable.ToErrorObject(errors.Join(errors.New("context"), step))
	if wrapped.ErrorType != "T" {
		t.Fatalf("wrapped %+v", wrapped)
	}
	plain := durable.ToErrorObject(errors.New("x"))
	if plain.ErrorType != "Error" || plain.ErrorMessage != "x" {
		t.Fatalf("plain %+v", plain)
	}
	for err, want := range map[error]string{
		fmt.Errorf("wrapped: %w", errors.New("x")):             "Error",
		errors.Join(errors.New("a"), errors.New("b")):          "Error",
		fmt.Errorf("reading: %w", &fs.PathError{Op: "open"}):   "fs.PathError",
		fmt.Errorf("%w", fmt.Errorf("%w", strconv.ErrSyntax)):  "Error",
		&strconv.NumError{Func: "Atoi", Err: strconv.ErrRange}: "strconv.NumError",
	} {
		if got := durable.ToErrorObject(err).ErrorType; got != want {
			t.Errorf("ErrorType of %T %q = %q, want %q", err, err, got, want)
		}
	}
	if !durable.IsRetryable(&durable.InvocationError{Err: errors.New("x")}) || durable.IsRetryable(step) ||
		!durable.IsRetryable(&durable.CheckpointError{Retryable: true}) {
		t.Fatal("IsRetryable")
	}
}

func TestStepFailureAndRetryThroughLocalService(t *testing.T) {
	attempts := 0
	h := durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		_, err := durable.Step(ctx, "doomed", func(sc durable.StepContext) (int, error) {
			attempts++
			return 0, errors.New("nope")
		}, durable.WithRetry(retry.Fixed(3, time.Second)))
		var se *durable.StepError
		if !errors.As(err, &se) {
			return "", err
		}
		return se.Object.ErrorMessage, nil
	}, durable.WithLogHandler(discard{}))
	out := run(t, h, "")
	if out.Status != local.ExecutionSucceeded || *out.Result != `"nope"` || attempts != 3 {
		t.Fatalf("%s %v attempts=%d", out.Status, deref(out.Result), attempts)
	}
}

func TestDurations(t *testing.T) {
	if durable.Months(1) != 30*24*time.Hour || durable.Years(1) != 365*24*time.Hour || durable.Weeks(2) != 14*24*time.Hour ||
		durable.Days(1) != 24*time.Hour || durable.Hours(1) != time.Hour || durable.Minutes(1) != time.Minute || durable.Seconds(1) != time.Second {
		t.Fatal("durations")
	}
}
