package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// This file holds the harness of the TestFault... tests: a workflow that
// covers the operations, a probe that watches its step bodies, a driver that
// runs an execution to its end while checking that recorded outcomes never
// change, and the comparison with a fault-free reference run.

// faultMode is a checkpoint mode every fault scenario runs in.
type faultMode struct {
	name string
	mode checkpoint.Mode
	// rerunBound is the most extra step body runs one crash may cause in
	// this mode (0: unbounded, everything since the last flush).
	rerunBound int
}

var faultModes = []faultMode{
	{"eager", checkpoint.Eager{}, 1},
	{"batched", checkpoint.Batched{MaxUpdates: 4}, 4},
	{"optimistic", checkpoint.Optimistic{}, 0},
}

// faultInput is the input of every fault scenario.
const faultInput = 5

// faultProbe watches step bodies: how often each attempt of each step
// runs, and whether a body runs although the service already holds its
// outcome. It can also kill the invocation when the n-th body starts.
type faultProbe struct {
	mu         sync.Mutex
	svc        *local.Service
	arn        string
	runs       map[string]int // "name#attempt" -> body runs
	total      int
	violations []string
	// leftovers counts bodies that started after the injected kill made
	// the function return but before the engine, still running in this
	// process, observed the kill. A real crash leaves no process to run
	// them, so they do not count as runs. (A body starting after the engine
	// itself ended the invocation is a bug:
	// TestFaultNoStepBodyAfterInvocationEnds.)
	leftovers int

	crashAt    int  // kill the invocation when the crashAt-th body starts (0: never)
	crashBlock bool // the killed body waits for its context to end (else it returns normally)

	points       int // probe points passed inside bodies (see work)
	crashAtPoint int // kill the invocation at the crashAtPoint-th probe point (0: never)
}

func newFaultProbe() *faultProbe { return &faultProbe{runs: map[string]int{}} }

// enter records a body start and reports whether to kill the invocation.
func (p *faultProbe) enter(sc durable.StepContext, name string, atMostOnce bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case faultinject.HasReturned(sc):
		p.leftovers++
		return false
	case faultinject.Killed(sc):
		return false
	}
	p.total++
	key := name + "#" + strconv.Itoa(sc.Attempt())
	p.runs[key]++
	if atMostOnce && p.runs[key] > 1 {
		p.violations = append(p.violations, fmt.Sprintf("at-most-once step %s attempt %d ran %d times", name, sc.Attempt(), p.runs[key]))
	}
	if p.svc != nil && p.arn != "" {
		ops, err := p.svc.Operations(p.arn)
		if err != nil {
			p.violations = append(p.violations, err.Error())
		}
		for _, op := range ops {
			if op.Id == sc.OperationID() && op.Status.Terminal() {
				p.violations = append(p.violations, fmt.Sprintf("step %s (id %s) ran although the service recorded it %s", name, op.Id, op.Status))
			}
		}
	}
	return p.crashAt > 0 && p.total == p.crashAt
}

// point records that a body of the live invocation of sc passed a probe
// point and reports whether to kill the invocation there.
func (p *faultProbe) point(sc durable.StepContext) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if faultinject.HasReturned(sc) || faultinject.Killed(sc) {
		return false
	}
	p.points++
	return p.crashAtPoint > 0 && p.points == p.crashAtPoint
}

// work is the inside of a step body: n probe points, at any of which the
// invocation may be killed (see crashAtPoint). A killed body either waits
// for its context to end and returns its error (crashBlock), or carries on
// and returns normally: its outcome must then never be recorded.
func (p *faultProbe) work(sc durable.StepContext, n int) error {
	for i := 0; i < n; i++ {
		if p.point(sc) {
			faultinject.Kill(sc)
			if p.crashBlock {
				<-sc.Done()
				return sc.Err()
			}
		}
	}
	return nil
}

func (p *faultProbe) probePoints() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.points
}

func (p *faultProbe) leftoverRuns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.leftovers
}

func (p *faultProbe) bodyRuns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

func (p *faultProbe) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.violations) == 0 {
		return nil
	}
	return fmt.Errorf("faultProbe: %v", p.violations)
}

// faultProbed wraps a step body so that p watches it.
func faultProbed[T any](p *faultProbe, name string, atMostOnce bool, fn func(durable.StepContext) (T, error)) func(durable.StepContext) (T, error) {
	return func(sc durable.StepContext) (T, error) {
		if p.enter(sc, name, atMostOnce) {
			faultinject.Kill(sc)
			if p.crashBlock {
				<-sc.Done()
				var zero T
				return zero, sc.Err()
			}
		}
		return fn(sc)
	}
}

// faultWorkflow covers an at-least-once step, an at-most-once step with
// retries, a step that fails its first attempt, a callback, a wait and a
// child context holding steps of both semantics.
func faultWorkflow(p *faultProbe) func(durable.Context, int) (string, error) {
	amo := []durable.StepOption{durable.WithAtMostOncePerRetry(), durable.WithRetry(retry.Fixed(3, time.Second))}
	return func(ctx durable.Context, in int) (string, error) {
		a, err := durable.Step(ctx, "a", faultProbed(p, "a", false, func(durable.StepContext) (int, error) { return in + 1, nil }))
		if err != nil {
			return "", err
		}
		b, err := durable.Step(ctx, "b", faultProbed(p, "b", true, func(durable.StepContext) (int, error) { return in * 2, nil }), amo...)
		if err != nil {
			return "", err
		}
		c, err := durable.Step(ctx, "c", faultProbed(p, "c", false, func(sc durable.StepContext) (int, error) {
			if sc.Attempt() == 1 {
				return 0, errors.New("flaky dependency")
			}
			return a + b, nil
		}), durable.WithRetry(retry.Fixed(3, time.Second)))
		if err != nil {
			return "", err
		}
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", 5*time.Second); err != nil {
			return "", err
		}
		d, err := durable.RunInChildContext(ctx, "child", func(cc durable.Context) (string, error) {
			x, err := durable.Step(cc, "x", faultProbed(p, "x", false, func(durable.StepContext) (int, error) { return c * 10, nil }))
			if err != nil {
				return "", err
			}
			y, err := durable.Step(cc, "y", faultProbed(p, "y", true, func(durable.StepContext) (int, error) { return x + 1, nil }), amo...)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%d/%d", x, y), nil
		})
		if err != nil {
			return "", err
		}
		approval, err := cb.Get()
		if err != nil {
			return "", err
		}
		e, err := durable.Step(ctx, "e", faultProbed(p, "e", false, func(durable.StepContext) (string, error) { return "end", nil }))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("a=%d b=%d c=%d d=%s cb=%s e=%s", a, b, c, d, approval, e), nil
	}
}

// faultScenario is one run of faultWorkflow.
type faultScenario struct {
	// workflow builds the workflow under test (nil: faultWorkflow).
	workflow   func(*faultProbe) func(durable.Context, int) (string, error)
	mode       checkpoint.Mode
	rules      []faultinject.Rule
	crashAt    int  // kill the invocation when the crashAt-th step body starts
	crashBlock bool // ... and let that body wait for its context to end
	// crashAtPoint kills the invocation at the crashAtPoint-th probe point
	// inside the bodies (see faultProbe.work).
	crashAtPoint int
	// functions registers the chained-invoke targets of the workflow.
	functions []durabletest.Option
}

// faultOutcome is what a scenario produced.
type faultOutcome struct {
	res      *durabletest.Result
	ops      []checkpoint.Operation
	calls    map[string]int
	bodyRuns int
	points   int // probe points passed inside bodies
	inj      *faultinject.Injector
	failures int // invocations that ended with an error or a crash
	invs     int // invocations
	// handlerErrs are the errors the handler returned to the service.
	handlerErrs []error
	// leftovers are step bodies started after a simulated kill, before the
	// engine observed it (see faultProbe.leftovers).
	leftovers int
}

// faultErrLog records the errors a function returns.
type faultErrLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *faultErrLog) wrap(fn local.Function) local.Function {
	return local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		out, err := fn.Invoke(ctx, payload)
		if err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
		return out, err
	})
}

func (l *faultErrLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// faultLimits makes the service page the state after 3 operations, so that
// the SDK calls GetDurableExecutionState too.
func faultLimits() local.Limits {
	l := local.DefaultLimits()
	l.InitialStatePageSize = 3
	return l
}

// runFaultScenario runs faultWorkflow once under sc's faults to its end.
func runFaultScenario(t testing.TB, sc faultScenario) (*faultOutcome, error) {
	t.Helper()
	p := newFaultProbe()
	p.crashAt, p.crashBlock, p.crashAtPoint = sc.crashAt, sc.crashBlock, sc.crashAtPoint
	inj := faultinject.New(sc.rules...)
	wf := sc.workflow
	if wf == nil {
		wf = faultWorkflow
	}
	h := durable.NewHandler(wf(p),
		durable.WithCheckpointMode(sc.mode),
		durable.WithCheckpointMiddleware(inj.Middleware()),
		durable.WithLogHandler(discard{}))
	if err := h.Err(); err != nil {
		t.Fatal(err)
	}
	var errs faultErrLog
	r := durabletest.New(inj.Function(errs.wrap(h)), append([]durabletest.Option{durabletest.WithServiceOptions(
		local.WithAPIHook(inj.Hook()), local.WithLimits(faultLimits()), local.WithInvokeRetryBudget(5))}, sc.functions...)...)
	defer r.Close()
	ctx := context.Background()
	if err := r.Start(ctx, faultInput); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.svc, p.arn = r.Service(), r.ExecutionARN()
	p.mu.Unlock()
	res, err := faultDrive(ctx, r)
	out := &faultOutcome{res: res, ops: r.Operations(), bodyRuns: p.bodyRuns(), points: p.probePoints(), inj: inj, handlerErrs: errs.all(), leftovers: p.leftoverRuns(),
		calls: map[string]int{faultinject.OpCheckpoint: inj.Calls(faultinject.OpCheckpoint), faultinject.OpGetState: inj.Calls(faultinject.OpGetState)}}
	for _, ev := range r.History() {
		if ev.EventType == local.EventInvocationCompleted {
			out.invs++
			if ev.InvocationCompletedDetails.Error != nil {
				out.failures++
			}
		}
	}
	return out, errors.Join(err, p.err(), inj.Err())
}

// faultMaxInvocations bounds one execution: no scenario needs a tenth of
// it, so reaching it means an endless retry loop.
const faultMaxInvocations = 40

// faultDrive runs the execution's invocations one at a time until it ends,
// answering callbacks, and checks after each invocation that no operation
// recorded terminal has changed.
func faultDrive(ctx context.Context, r *durabletest.Runner) (*durabletest.Result, error) {
	final := map[string]string{}
	for i := 0; i < faultMaxInvocations; i++ {
		res := r.Result()
		if res.Done() {
			return res, nil
		}
		for _, cb := range r.OpenCallbacks() {
			if err := r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("ok-"+cb.Name)); err != nil {
				return res, err
			}
		}
		if _, err := r.RunInvocation(ctx); err != nil {
			return res, fmt.Errorf("invocation %d: %w (execution %s)", i+1, err, res.Status)
		}
		for _, op := range r.Operations() {
			if !op.Status.Terminal() {
				continue
			}
			b, _ := json.Marshal(op)
			if prev, ok := final[op.Id]; ok && prev != string(b) {
				return r.Result(), fmt.Errorf("completed operation %s changed:\nwas %s\nnow %s", op.Id, prev, b)
			}
			final[op.Id] = string(b)
		}
	}
	return r.Result(), fmt.Errorf("the execution did not end after %d invocations", faultMaxInvocations)
}

// faultSameOutcome compares a run with the fault-free reference: status,
// result and every operation's identity, status and recorded result.
func faultSameOutcome(ref, got *faultOutcome) error {
	if got.res == nil || got.res.Status != ref.res.Status || got.res.Result != ref.res.Result {
		return fmt.Errorf("execution %+v, want %+v", got.res, ref.res)
	}
	idx := map[string]checkpoint.Operation{}
	for _, op := range got.ops {
		idx[op.Id] = op
	}
	if len(got.ops) != len(ref.ops) {
		return fmt.Errorf("%d operations, want %d", len(got.ops), len(ref.ops))
	}
	for _, want := range ref.ops {
		if want.Type == checkpoint.TypeExecution {
			continue // its id is the execution's own
		}
		op, ok := idx[want.Id]
		switch {
		case !ok:
			return fmt.Errorf("operation %s (%s) missing", want.Id, want.Name)
		case op.Type != want.Type || op.Name != want.Name || op.SubType != want.SubType || op.ParentId != want.ParentId:
			return fmt.Errorf("operation %s is %s/%s/%s under %q, want %s/%s/%s under %q", op.Id,
				op.Type, op.SubType, op.Name, op.ParentId, want.Type, want.SubType, want.Name, want.ParentId)
		case op.Status != want.Status || faultResultOf(op) != faultResultOf(want):
			return fmt.Errorf("operation %s (%s) ended %s %q, want %s %q", op.Id, op.Name, op.Status, faultResultOf(op), want.Status, faultResultOf(want))
		}
	}
	return nil
}

func faultResultOf(op checkpoint.Operation) string {
	switch {
	case op.StepDetails != nil:
		return op.StepDetails.Result
	case op.ContextDetails != nil:
		return op.ContextDetails.Result
	case op.CallbackDetails != nil:
		return op.CallbackDetails.Result
	case op.ChainedInvokeDetails != nil:
		return op.ChainedInvokeDetails.Result
	}
	return ""
}

// faultReference runs the fault-free scenario sc once per test.
func faultReference(t testing.TB, sc faultScenario) *faultOutcome {
	t.Helper()
	ref, err := runFaultScenario(t, sc)
	if err != nil {
		t.Fatalf("fault-free run: %v", err)
	}
	if ref.res.Status != local.ExecutionSucceeded || ref.failures != 0 {
		t.Fatalf("fault-free run ended %+v with %d failed invocations", ref.res, ref.failures)
	}
	return ref
}

// faultTarget is a call of the fault-free run to fault: the checkpoint
// call that carries one update, or one state read.
type faultTarget struct {
	name string
	rule faultinject.Rule // without Kind
}

// faultTargets lists a target per update the reference run sent (the k-th
// call carrying that operation's action) and per state read. Targets follow
// updates rather than call numbers because concurrent commits are grouped
// into requests differently from run to run.
func faultTargets(ref *faultinject.Injector) []faultTarget {
	var out []faultTarget
	seen := map[string]int{}
	for _, u := range ref.Updates() {
		key := u.Id + " " + string(u.Action)
		seen[key]++
		out = append(out, faultTarget{
			name: fmt.Sprintf("the call carrying %s %s (%s) #%d", u.Action, u.Id, u.Name, seen[key]),
			rule: faultinject.Rule{Op: faultinject.OpCheckpoint, Match: faultinject.Carries(u.Id, u.Action), At: seen[key]},
		})
	}
	for n := 1; n <= ref.Calls(faultinject.OpGetState); n++ {
		out = append(out, faultTarget{
			name: fmt.Sprintf("state read #%d", n),
			rule: faultinject.Rule{Op: faultinject.OpGetState, At: n},
		})
	}
	return out
}

// with returns the target's rule with kind k.
func (ft faultTarget) with(k faultinject.Kind) []faultinject.Rule {
	r := ft.rule
	r.Kind = k
	return []faultinject.Rule{r}
}

// faultCase is one faulted run of a matrix, and how to judge it.
type faultCase struct {
	name string
	// sc is the scenario; the matrix sets its workflow and mode.
	sc    faultScenario
	check func(ref, got *faultOutcome, runErr error) error
}

// runFaultMatrix runs, for every checkpoint mode (in parallel), the
// fault-free reference of workflow (nil: faultWorkflow), then each case
// that cases builds from it, and logs what it injected and matched.
func runFaultMatrix(t *testing.T, workflow func(*faultProbe) func(durable.Context, int) (string, error),
	cases func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase) {
	runFaultMatrixOf(t, faultScenario{workflow: workflow}, cases)
}

// runFaultMatrixOf is runFaultMatrix for the workflow and chained-invoke
// targets of base.
func runFaultMatrixOf(t *testing.T, base faultScenario, cases func(t *testing.T, m faultMode, ref *faultOutcome) []faultCase) {
	var tally faultTally
	for _, m := range faultModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ref := faultReference(t, faultScenario{workflow: base.workflow, functions: base.functions, mode: m.mode})
			for _, c := range cases(t, m, ref) {
				c.sc.workflow, c.sc.functions, c.sc.mode = base.workflow, base.functions, m.mode
				got, err := runFaultScenario(t, c.sc)
				err = c.check(ref, got, err)
				tally.add(max(got.inj.Injected(), got.inj.Crashes()), err == nil)
				tally.addLeftovers(got.leftovers)
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
			}
		})
	}
	t.Cleanup(func() { tally.log(t) })
}

// faultTally counts what a test injected and checked (docs/reliability.md).
type faultTally struct {
	mu                                     sync.Mutex
	faults, executions, matched, leftovers int
}

func (f *faultTally) add(faults int, matched bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults += faults
	f.executions++
	if matched {
		f.matched++
	}
}

// addLeftovers counts step bodies that started after a simulated kill,
// before the engine observed it (see faultProbe.leftovers).
func (f *faultTally) addLeftovers(n int) {
	f.mu.Lock()
	f.leftovers += n
	f.mu.Unlock()
}

func (f *faultTally) log(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	t.Logf("faults injected: %d, executions: %d, outcomes as expected: %d", f.faults, f.executions, f.matched)
	if f.leftovers > 0 {
		t.Logf("%d step bodies started between a simulated kill and the engine observing it (not counted: a dead process runs nothing)", f.leftovers)
	}
}
