package durable_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
)

var silent = durable.WithLogHandler(slog.DiscardHandler)

// deployment is the function the service invokes; deploy swaps the code,
// as a new Lambda version would.
type deployment struct {
	code atomic.Pointer[durable.Handler]
}

func (d *deployment) deploy(h *durable.Handler) { d.code.Store(h) }

func (d *deployment) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return d.code.Load().Invoke(ctx, payload)
}

func labelled(v string) func(durable.StepContext) (string, error) {
	return func(durable.StepContext) (string, error) { return v, nil }
}

// shipV1 prints a paper label, waits, then ships.
func shipV1(ctx durable.Context, item string) (string, error) {
	label, err := durable.Step(ctx, "label", labelled("paper label"))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", labelled(item+" shipped with a "+label))
}

// shipV2 replaces the paper label with a digital one behind a version
// branch: executions recorded by shipV1 keep the paper label.
func shipV2(ctx durable.Context, item string) (string, error) {
	v, err := durable.Version(ctx, "digital-label", durable.DefaultVersion, 1)
	if err != nil {
		return "", err
	}
	var label string
	if v == durable.DefaultVersion {
		label, err = durable.Step(ctx, "label", labelled("paper label"))
	} else {
		label, err = durable.Step(ctx, "digital-label", labelled("digital label"))
	}
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", labelled(item+" shipped with a "+label))
}

// shipV3 retires the paper label: only version 1 is supported.
func shipV3(ctx durable.Context, item string) (string, error) {
	if _, err := durable.Version(ctx, "digital-label", 1, 1); err != nil {
		return "", err
	}
	label, err := durable.Step(ctx, "digital-label", labelled("digital label"))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", labelled(item+" shipped with a "+label))
}

func TestVersionKeepsRecordedExecutionsOnTheOldPath(t *testing.T) {
	ctx := context.Background()
	var seen sync.Map // "name/subtype" of the operations a user middleware sees
	watch := durable.WithMiddleware(func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			seen.Store(op.Spec().Name+"/"+op.Spec().SubType, true)
			return next(ctx, op)
		}
	})
	v1, v2 := durable.NewHandler(shipV1, silent), durable.NewHandler(shipV2, silent, watch)
	d := &deployment{}
	d.deploy(v1)
	r := durabletest.New(d)
	defer r.Close()

	// Version 1 starts an execution, which suspends in its wait.
	if err := r.Start(ctx, "mug"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r.Result().Status; st != local.ExecutionRunning {
		t.Fatalf("version 1: %s, want RUNNING in the wait", st)
	}

	// Version 2 is deployed; the old execution resumes on the old path.
	d.deploy(v2)
	old := finish(t, r, "mug shipped with a paper label")
	if _, marked := r.Operation("digital-label"); marked {
		t.Error("the old execution recorded a version marker")
	}

	// A new execution takes the new path and records its version.
	if err := r.Start(ctx, "cup"); err != nil {
		t.Fatal(err)
	}
	fresh := finish(t, r, "cup shipped with a digital label")
	marker := fresh.Operations[1]
	if marker.Type != checkpoint.TypeStep || marker.SubType != "Version" || marker.Name != "digital-label" ||
		marker.StepDetails == nil || marker.StepDetails.Result != "1" {
		t.Errorf("new execution's first operation %+v, want the version marker recording 1", marker)
	}
	if _, ok := seen.Load("digital-label/Version"); !ok {
		t.Error("the middleware did not see the version marker")
	}

	// Both replay cleanly against version 2; version 1 cannot replay the
	// new execution (it does not know the marker).
	for name, rec := range map[string]*durabletest.Recording{"old": old, "new": fresh} {
		if err := durabletest.Replay(ctx, v2, rec); err != nil {
			t.Errorf("%s execution against version 2: %v", name, err)
		}
	}
	if err := durabletest.Replay(ctx, v1, old); err != nil {
		t.Errorf("old execution against version 1: %v", err)
	}
	var nd *durable.NonDeterministicExecutionError
	if err := durabletest.Replay(ctx, v1, fresh); !errors.As(err, &nd) || nd.Recorded.SubType != "Version" {
		t.Errorf("new execution against version 1: %v, want a NonDeterministicExecutionError on the marker", err)
	}

	// Retiring the old path: version 3 supports version 1 only. The new
	// execution replays; the old one fails with UnsupportedVersionError.
	v3 := durable.NewHandler(shipV3, silent)
	if err := durabletest.Replay(ctx, v3, fresh); err != nil {
		t.Errorf("new execution against version 3: %v", err)
	}
	var oe *durabletest.ReplayOutcomeError
	if err := durabletest.Replay(ctx, v3, old); !errors.As(err, &oe) || oe.Failure == nil || oe.Failure.ErrorType != "UnsupportedVersionError" {
		t.Errorf("old execution against version 3: %v, want an UnsupportedVersionError", err)
	}
}

// finish resumes the runner's execution to its end, checks its result and
// returns its recording.
func finish(t *testing.T, r *durabletest.Runner, want string) *durabletest.Recording {
	t.Helper()
	res, err := r.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got string
	if err := res.Decode(&got); err != nil || got != want {
		t.Fatalf("result %q (%v, %s), want %q", got, err, res.Status, want)
	}
	rec, err := r.Recording()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// An execution that reaches the version call for the first time after the
// deployment takes the newest path, even if it started on the old code:
// nothing it recorded contradicts it.
func TestVersionAfterTheSuspensionPointTakesTheNewPath(t *testing.T) {
	ctx := context.Background()
	late := durable.NewHandler(func(ctx durable.Context, item string) (string, error) {
		label, err := durable.Step(ctx, "label", labelled("paper label"))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
			return "", err
		}
		v, err := durable.Version(ctx, "gift-wrap", durable.DefaultVersion, 2)
		if err != nil {
			return "", err
		}
		if v == 2 {
			label += " and gift wrap"
		}
		return durable.Step(ctx, "ship", labelled(item+" shipped with a "+label))
	}, silent)
	d := &deployment{}
	d.deploy(durable.NewHandler(shipV1, silent))
	r := durabletest.New(d)
	defer r.Close()
	if err := r.Start(ctx, "mug"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	d.deploy(late)
	rec := finish(t, r, "mug shipped with a paper label and gift wrap")
	if err := durabletest.Replay(ctx, late, rec); err != nil {
		t.Error(err)
	}
}

func TestVersionRejectsBadArguments(t *testing.T) {
	for _, tc := range []struct {
		id       string
		min, max int
	}{{"", 0, 1}, {"x", -1, 1}, {"x", 2, 1}, {"bad\nname", 0, 1}} {
		h := durable.NewHandler(func(ctx durable.Context, _ string) (int, error) {
			return durable.Version(ctx, tc.id, tc.min, tc.max)
		}, silent)
		r := durabletest.New(h)
		res, err := r.Run(context.Background(), "x")
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorType != "ValidationError" {
			t.Errorf("Version(%q, %d, %d): %s %+v, want FAILED with a ValidationError", tc.id, tc.min, tc.max, res.Status, res.Error)
		}
	}
}
