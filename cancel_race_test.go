package durable_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

var allModes = []checkpoint.Mode{checkpoint.Eager{}, checkpoint.Batched{MaxUpdates: 10}, checkpoint.Optimistic{}}

// lateAnswer answers an open callback from inside the service's API hook,
// at the start of the first checkpoint request made once ready reports
// true: after the SDK read the callback as STARTED and before the service
// applies the request, which is the CANCEL when ready is chosen right. It
// answers once.
type lateAnswer struct {
	r     atomic.Pointer[durabletest.Runner]
	ready func(r *durabletest.Runner) (callbackID string, ok bool)
	fired atomic.Bool
	err   atomic.Pointer[error]
}

func (l *lateAnswer) hook(ctx context.Context, op, _ string) error {
	r := l.r.Load()
	if op != "CheckpointDurableExecution" || r == nil || l.fired.Load() {
		return nil
	}
	id, ok := l.ready(r)
	if !ok || !l.fired.CompareAndSwap(false, true) {
		return nil
	}
	if err := r.SendCallbackSuccess(ctx, id, []byte("late yes")); err != nil {
		l.err.Store(&err)
	}
	return nil
}

func (l *lateAnswer) check(t *testing.T) {
	t.Helper()
	if !l.fired.Load() {
		t.Fatal("the callback was never answered: the race was not reproduced")
	}
	if p := l.err.Load(); p != nil {
		t.Fatal(*p)
	}
}

// A callback answered at the service between the SDK's last state and its
// CANCEL: the service rejects the CANCEL, which must not fail the
// execution. The cancel is dropped and the callback keeps its real outcome,
// live and on replay.
func TestCancelRaceWithCallbackAnswer(t *testing.T) {
	for _, mode := range allModes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			var armed atomic.Pointer[string]
			l := &lateAnswer{ready: func(*durabletest.Runner) (string, bool) {
				if p := armed.Load(); p != nil {
					return *p, true
				}
				return "", false
			}}
			var mu sync.Mutex
			var seen []string
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				cb, err := durable.CreateCallback[string](ctx, "approval")
				if err != nil {
					return "", err
				}
				f := durable.CallbackFuture(cb)
				id := cb.ID()
				armed.Store(&id)
				cancelled := f.Cancel()
				v, err := f.Get()
				mu.Lock()
				seen = append(seen, fmt.Sprintf("cancelled=%v value=%q err=%v", cancelled, v, err))
				mu.Unlock()
				if err != nil {
					return "", err
				}
				// Suspend once, so that a second invocation replays it.
				if err := durable.Wait(ctx, "pause", time.Second); err != nil {
					return "", err
				}
				return v, nil
			}, durable.WithLogHandler(discard{}), durable.WithCheckpointMode(mode)),
				durabletest.WithServiceOptions(local.WithAPIHook(l.hook)))
			l.r.Store(r)

			res := mustRun(t, r, nil)
			l.check(t)
			if res.Status != local.ExecutionSucceeded {
				res = mustResume(t, r)
			}
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `"late yes"` {
				t.Errorf("result = %s", res.Result)
			}
			mu.Lock()
			defer mu.Unlock()
			want := `cancelled=false value="late yes" err=<nil>`
			if len(seen) < 2 || seen[0] != want || seen[len(seen)-1] != want {
				t.Errorf("live and replayed outcomes = %q, want %q each", seen, want)
			}
			if st := callbackStatus(r); st != checkpoint.StatusSucceeded {
				t.Errorf("callback status %s, want SUCCEEDED", st)
			}
			if n := len(events(r, "CallbackSucceeded")); n != 1 {
				t.Errorf("%d CallbackSucceeded events, want 1", n)
			}
		})
	}
}

// Race cancels its loser right after recording its decision; the loser
// (a callback) is answered in between. The execution goes on with the
// recorded winner and the callback's real outcome.
func TestCancelRaceAfterRaceDecision(t *testing.T) {
	for _, mode := range allModes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			l := &lateAnswer{ready: func(r *durabletest.Runner) (string, bool) {
				race, ok := r.Operation("approval-or-timeout")
				if !ok || race.Status != checkpoint.StatusSucceeded {
					return "", false
				}
				for _, op := range r.Operations() {
					if op.Type == checkpoint.TypeCallback && op.Status == checkpoint.StatusStarted && op.CallbackDetails != nil {
						return op.CallbackDetails.CallbackId, true
					}
				}
				return "", false
			}}
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				cb, err := durable.CreateCallback[string](ctx, "approval")
				if err != nil {
					return "", err
				}
				timeout := durable.WaitAsync(ctx, "timeout", time.Minute)
				winner, _, err := durable.Race(ctx, "approval-or-timeout",
					durable.CallbackFuture(cb).Untyped(), timeout.Untyped())
				if err != nil {
					return "", err
				}
				v, cerr := cb.Get()
				if errors.Is(cerr, durable.ErrCancelled) {
					return fmt.Sprintf("winner %d, callback cancelled", winner), nil
				}
				return fmt.Sprintf("winner %d, callback %q %v", winner, v, cerr), nil
			}, durable.WithLogHandler(discard{}), durable.WithCheckpointMode(mode)),
				durabletest.WithServiceOptions(local.WithAPIHook(l.hook)))
			l.r.Store(r)

			res := mustRun(t, r, nil)
			for i := 0; res.Status == local.ExecutionRunning && i < 5; i++ {
				r.Advance(time.Minute)
				res = mustResume(t, r)
			}
			l.check(t)
			wantStatus(t, res, local.ExecutionSucceeded)
			if want := `"winner 1, callback \"late yes\" <nil>"`; res.Result != want {
				t.Errorf("result = %s, want %s", res.Result, want)
			}
			if st := callbackStatus(r); st != checkpoint.StatusSucceeded {
				t.Errorf("callback status %s, want SUCCEEDED", st)
			}
		})
	}
}
