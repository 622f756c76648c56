package durable_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
)

// Tests of the interception contract (README "Options and middleware",
// docs/architecture.md "The interception contract").

type ctxKey struct{}

// contractWorkflow exercises every kind of chain entry: a retried step (two
// attempts), a child context with a step, and a wait that suspends.
func contractWorkflow(bodyCtx *atomic.Value) func(durable.Context, string) (string, error) {
	return func(ctx durable.Context, in string) (string, error) {
		a, err := durable.Step(ctx, "flaky", func(sc durable.StepContext) (string, error) {
			if bodyCtx != nil {
				bodyCtx.Store(fmt.Sprint(sc.Value(ctxKey{})))
			}
			if sc.Attempt() == 1 {
				return "", errors.New("transient")
			}
			return in + "-a", nil
		}, durable.WithRetry(retry.Fixed(2, time.Second)))
		if err != nil {
			return "", err
		}
		b, err := durable.RunInChildContext(ctx, "child", func(c durable.Context) (string, error) {
			return durable.Step(c, "inner", func(durable.StepContext) (string, error) { return "b", nil })
		})
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		return a + b, nil
	}
}

// An interceptor may call next with any context, including one that does
// not descend from the context it received, in each chain.
func TestInterceptorMayPassAnyContext(t *testing.T) {
	detached := func(ctx context.Context) context.Context {
		return context.WithValue(context.WithoutCancel(context.Background()), ctxKey{}, "mine")
	}
	opMW := func(mk func(context.Context) context.Context) middleware.Middleware {
		return func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error { return next(mk(ctx), op) }
		}
	}
	invMW := func(next middleware.InvocationHandler) middleware.InvocationHandler {
		return func(ctx context.Context, inv *middleware.Invocation) error { return next(detached(ctx), inv) }
	}
	nilCtx := func(context.Context) context.Context { return nil }
	cases := []struct {
		name      string
		opt       durable.HandlerOption
		bodyValue string // what the step body finds under ctxKey
	}{
		{"operation chain, detached context", durable.WithMiddleware(opMW(detached)), "mine"},
		{"operation chain, nil context", durable.WithMiddleware(opMW(nilCtx)), "<nil>"},
		{"attempt chain, detached context", durable.WithAttemptMiddleware(opMW(detached)), "mine"},
		{"attempt chain, nil context", durable.WithAttemptMiddleware(opMW(nilCtx)), "<nil>"},
		{"invocation chain, detached context", durable.WithInvocationMiddleware(invMW), "mine"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var seen atomic.Value
			r := newRunner(t, durable.NewHandler(contractWorkflow(&seen), quietLogs(), tc.opt))
			res := mustRun(t, r, "x")
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `"x-ab"` {
				t.Fatalf("result %s", res.Result)
			}
			if got := seen.Load(); got != tc.bodyValue {
				t.Fatalf("the step body saw %v under the interceptor's key, want %v", got, tc.bodyValue)
			}
		})
	}
}

// An interceptor that breaks the contract gets a clear error
// (middleware.ErrMisuse), never a crash.
func TestInterceptorMisuseFailsClearly(t *testing.T) {
	foreign := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, _ *middleware.Operation) error { return next(ctx, &middleware.Operation{}) }
	}
	twice := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			_ = next(ctx, op)
			return next(ctx, op)
		}
	}
	skip := func(next middleware.Handler) middleware.Handler {
		return func(context.Context, *middleware.Operation) error { return nil }
	}
	for _, chain := range []string{"operation", "attempt"} {
		for name, mw := range map[string]middleware.Middleware{"foreign descriptor": foreign, "next twice": twice, "nil without next": skip} {
			t.Run(chain+"/"+name, func(t *testing.T) {
				opt := durable.WithMiddleware(mw)
				if chain == "attempt" {
					opt = durable.WithAttemptMiddleware(mw)
				}
				var sawErr error
				var bodyRuns atomic.Int32
				wf := func(ctx durable.Context, _ string) (string, error) {
					_, err := durable.Step(ctx, "s", func(durable.StepContext) (int, error) { bodyRuns.Add(1); return 1, nil })
					sawErr = err
					return "", err
				}
				r := newRunner(t, durable.NewHandler(wf, quietLogs(), opt))
				res := mustRun(t, r, nil)
				wantStatus(t, res, local.ExecutionFailed)
				// In the operation chain the workflow gets the error itself;
				// in the attempt chain it fails the attempt (no retry) and is
				// recorded, so it comes back as the step's error.
				var se *durable.StepError
				switch {
				case chain == "operation" && !errors.Is(sawErr, middleware.ErrMisuse),
					chain == "attempt" && (!errors.As(sawErr, &se) || se.Object.ErrorType != "MiddlewareMisuse"):
					t.Fatalf("the workflow got %v, want the misuse reported", sawErr)
				}
				if res.Error.ErrorType != "MiddlewareMisuse" && res.Error.ErrorType != "StepError" ||
					!strings.Contains(res.Error.ErrorMessage, "interception contract") {
					t.Fatalf("execution error %+v does not name the problem", res.Error)
				}
				if n := bodyRuns.Load(); n > 1 {
					t.Fatalf("the step body ran %d times", n)
				}
			})
		}
	}
}

// The identity an interceptor reads cannot be written: the descriptor has
// no exported fields and Spec returns a copy.
func TestDescriptorIdentityIsReadOnly(t *testing.T) {
	typ := reflect.TypeFor[middleware.Operation]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() {
			t.Errorf("middleware.Operation has exported field %s: interceptors could change it", f.Name)
		}
	}
	m, ok := reflect.TypeFor[*middleware.Operation]().MethodByName("Spec")
	if !ok || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Struct {
		t.Fatalf("Spec must return the identity by value, got %v", m.Type)
	}
}

// audit records what the README's audit interceptor would log.
type audit struct {
	mu          sync.Mutex
	invocation  int
	ops         []string
	attempts    []string
	invocations int
}

func (a *audit) options() []durable.HandlerOption {
	return []durable.HandlerOption{
		durable.WithInvocationMiddleware(func(next middleware.InvocationHandler) middleware.InvocationHandler {
			return func(ctx context.Context, inv *middleware.Invocation) error {
				a.mu.Lock()
				a.invocation++
				a.mu.Unlock()
				return next(ctx, inv)
			}
		}),
		durable.WithMiddleware(func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error {
				err := next(ctx, op)
				if spec := op.Spec(); !spec.Replaying {
					a.mu.Lock()
					a.ops = append(a.ops, fmt.Sprintf("%d %s %s suspended=%t", a.invocation, spec.Name, op.Status(), op.Suspended()))
					a.mu.Unlock()
				}
				return err
			}
		}),
		durable.WithAttemptMiddleware(func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error {
				err := next(ctx, op)
				a.mu.Lock()
				a.attempts = append(a.attempts, fmt.Sprintf("%d %s#%d err=%v", a.invocation, op.Spec().Name, op.Spec().Attempt, err))
				a.mu.Unlock()
				return err
			}
		}),
	}
}

// An audit interceptor sees every operation of a workflow with a retried
// step, a wait and a callback in the invocation where its outcome happens,
// suspension included, each status exactly once; the attempt chain sees
// each attempt once.
func TestAuditSeesEveryOperationOnce(t *testing.T) {
	a := &audit{}
	wf := func(ctx durable.Context, _ string) (string, error) {
		if _, err := durable.Step(ctx, "charge", func(sc durable.StepContext) (int, error) {
			if sc.Attempt() == 1 {
				return 0, errors.New("declined")
			}
			return 1, nil
		}, durable.WithRetry(retry.Fixed(2, time.Second))); err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
			return "", err
		}
		cb, err := durable.CreateCallback[string](ctx, "approve")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}
	r := newRunner(t, durable.NewHandler(wf, append(a.options(), quietLogs())...))
	res := mustRun(t, r, nil)
	if res.Status != local.ExecutionRunning {
		t.Fatalf("status %s, want RUNNING on the open callback", res.Status)
	}
	cb := openCallback(t, r)
	if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte("yes")); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, mustResume(t, r), local.ExecutionSucceeded)
	a.mu.Lock()
	defer a.mu.Unlock()
	wantOps := []string{
		"1 charge PENDING suspended=true",
		"2 charge SUCCEEDED suspended=false",
		"2 cool-off STARTED suspended=true",
		"3 cool-off SUCCEEDED suspended=false",
		"3 approve STARTED suspended=true",
		"4 approve SUCCEEDED suspended=false",
	}
	if !slices.Equal(a.ops, wantOps) {
		t.Errorf("operations audited:\n%s\nwant:\n%s", strings.Join(a.ops, "\n"), strings.Join(wantOps, "\n"))
	}
	wantAttempts := []string{"1 charge#1 err=declined", "2 charge#2 err=<nil>"}
	if !slices.Equal(a.attempts, wantAttempts) {
		t.Errorf("attempts audited: %q, want %q", a.attempts, wantAttempts)
	}
}

// An interceptor that swallows the suspension (returns nil, or another
// error) cannot make workflow code run past the suspension point nor change
// what is recorded.
func TestSwallowedSuspensionCannotBreakReplay(t *testing.T) {
	run := func(t *testing.T, opts ...durable.HandlerOption) ([]string, int32) {
		var after atomic.Int32
		wf := func(ctx durable.Context, _ string) (string, error) {
			err := durable.Wait(ctx, "pause", time.Minute)
			after.Add(1) // runs once the wait is over, in one invocation
			if err != nil {
				return "", err
			}
			return durable.Step(ctx, "next", func(durable.StepContext) (string, error) { return "done", nil })
		}
		r := newRunner(t, durable.NewHandler(wf, append(opts, quietLogs())...))
		wantStatus(t, mustRun(t, r, nil), local.ExecutionSucceeded)
		return history(r), after.Load()
	}
	wantHist, wantAfter := run(t)
	swallow := func(replace error) middleware.Middleware {
		return func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error {
				if err := next(ctx, op); !errors.Is(err, middleware.ErrSuspended) {
					return err
				}
				return replace
			}
		}
	}
	for name, mw := range map[string]middleware.Middleware{"nil": swallow(nil), "other error": swallow(errors.New("hidden"))} {
		t.Run(name, func(t *testing.T) {
			hist, after := run(t, durable.WithMiddleware(mw))
			if !slices.Equal(hist, wantHist) || after != wantAfter {
				t.Fatalf("history %v, code after the wait ran %d times; want %v and %d", hist, after, wantHist, wantAfter)
			}
		})
	}
}

// Suspension unwinds through every enclosing operation: a child context and
// the map items whose waits suspend the invocation are seen suspended by
// the operation chain, then ended in the invocation that observes them.
func TestSuspensionIsSeenByEnclosingOperations(t *testing.T) {
	a := &audit{}
	wf := func(ctx durable.Context, _ string) (int, error) {
		_, err := durable.RunInChildContext(ctx, "outer", func(c durable.Context) (int, error) {
			return 0, durable.Wait(c, "inner", time.Minute)
		})
		if err != nil {
			return 0, err
		}
		res, err := durable.Map(ctx, "items", []int{1, 2}, func(c durable.Context, _ int, n int) (int, error) {
			return n, durable.Wait(c, "", time.Minute)
		})
		if err != nil {
			return 0, err
		}
		return len(res.Results()), nil
	}
	r := newRunner(t, durable.NewHandler(wf, append(a.options(), quietLogs())...))
	wantStatus(t, mustRun(t, r, nil), local.ExecutionSucceeded)
	a.mu.Lock()
	defer a.mu.Unlock()
	count := map[string]int{}
	for _, line := range a.ops {
		count[line]++
	}
	for _, want := range []string{
		"1 inner STARTED suspended=true", "1 outer STARTED suspended=true",
		"2 inner SUCCEEDED suspended=false", "2 outer SUCCEEDED suspended=false",
		"2 items STARTED suspended=true", "3 items SUCCEEDED suspended=false",
	} {
		if count[want] != 1 {
			t.Errorf("%q seen %d times; audit:\n%s", want, count[want], strings.Join(a.ops, "\n"))
		}
	}
	// Unnamed: two item contexts and their two waits.
	if s, e := count["2  STARTED suspended=true"], count["3  SUCCEEDED suspended=false"]; s != 4 || e != 4 {
		t.Errorf("the items and their waits were seen suspended %d times and ended %d times, want 4 and 4; audit:\n%s",
			s, e, strings.Join(a.ops, "\n"))
	}
}
