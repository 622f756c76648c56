package local

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// fullView is an execution as a whole, for comparing memory and store.
type fullView struct {
	Header execHeader
	Ops    []opRecord
	Events []Event
}

func viewOf(e *execution) string {
	v := fullView{Header: e.execHeader}
	for _, o := range e.Ops {
		v.Ops = append(v.Ops, opRecord{Op: o, Meta: e.Meta[o.Id]})
	}
	for i := 0; i < e.Events.Len(); i++ {
		v.Events = append(v.Events, e.Events.At(i))
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// wantStoreAgrees checks that the store holds exactly what the service
// has in memory.
func wantStoreAgrees(t *testing.T, s *Service, store Store) {
	t.Helper()
	recs, err := store.LoadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if got, want := slices.Sorted(maps.Keys(recs)), slices.Sorted(maps.Keys(s.execs)); !slices.Equal(got, want) {
		t.Fatalf("store holds %v, memory %v", got, want)
	}
	for arn, e := range s.execs {
		stored, err := decodeExecution(arn, recs[arn])
		if err != nil {
			t.Fatalf("%s: %v", arn, err)
		}
		if got, want := viewOf(stored), viewOf(e); got != want {
			t.Fatalf("%s: store and memory differ:\nstore  %s\nmemory %s", arn, got, want)
		}
	}
}

// flakyStore is a MemoryStore whose saves fail while failing is set.
type flakyStore struct {
	*MemoryStore
	mu      sync.Mutex
	failing bool
	refused int
}

var errDiskFull = errors.New("no space left on device")

func (f *flakyStore) setFailing(on bool) {
	f.mu.Lock()
	f.failing = on
	f.mu.Unlock()
}

func (f *flakyStore) Save(ctx context.Context, arn string, ch *Change) error {
	f.mu.Lock()
	failing := f.failing
	if failing {
		f.refused++
	}
	f.mu.Unlock()
	if failing {
		return errDiskFull
	}
	return f.MemoryStore.Save(ctx, arn, ch)
}

func (f *flakyStore) Delete(ctx context.Context, arn string) error {
	f.mu.Lock()
	failing := f.failing
	f.mu.Unlock()
	if failing {
		return errDiskFull
	}
	return f.MemoryStore.Delete(ctx, arn)
}

// retryFn fails a step once with a retry, then succeeds it.
func retryFn() *fakeFn {
	return newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		switch o, ok := f.op("r1"); {
		case !ok:
			f.must(stepStart("r1", "flaky"), stepRetry("r1", 5))
			return pending()
		case o.Status == checkpoint.StatusPending:
			return pending()
		case o.Status == checkpoint.StatusReady:
			f.must(stepStart("r1", "flaky"), stepSucceed("r1", `"ok"`))
		}
		return succeeded(`"done"`)
	})
}

// TestStoreAgreesWithMemory runs workflows that use every kind of change
// (steps, retries, waits, callbacks, chained invokes, stops) and checks at
// every resting point that the incremental saves add up to what the
// service holds in memory.
func TestStoreAgreesWithMemory(t *testing.T) {
	store := NewMemoryStore()
	v := newEnv(t, WithStore(store), WithTimeSkipping(SkipUnlessCallbacksOpen))
	v.register("wf", workflowFn())
	v.register("retry", retryFn())
	v.register("echo", echoFn())
	v.register("caller", invokerFn("echo", `"hi"`))
	v.register("hb", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, ok := f.op("cb"); !ok {
			f.must(callbackStart("cb", "beat", 0, 600))
		}
		return pending()
	}))

	wf := v.start("wf", `"in"`)
	v.idle()
	wantStoreAgrees(t, v.svc, store)
	cbs, _ := v.svc.OpenCallbacks(wf)
	if len(cbs) != 1 {
		t.Fatalf("open callbacks: %+v", cbs)
	}
	if err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cbs[0].CallbackId, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	if out, err := v.svc.WaitForCompletion(v.ctx(), wf); err != nil || out.Status != ExecutionSucceeded {
		t.Fatalf("wf = %+v, %v", out, err)
	}
	v.run("retry", "")
	v.run("caller", "")
	hb := v.start("hb", "")
	v.idle()
	cbs, _ = v.svc.OpenCallbacks(hb)
	if err := v.svc.SendCallbackHeartbeat(v.ctx(), &SendCallbackHeartbeatInput{CallbackId: cbs[0].CallbackId}); err != nil {
		t.Fatal(err)
	}
	wantStoreAgrees(t, v.svc, store)
	if _, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: hb}); err != nil {
		t.Fatal(err)
	}
	v.idle()
	wantStoreAgrees(t, v.svc, store)
}

// gateFn is a durable function the test drives: each invocation hands its
// checkpoint token to the test and returns what the test releases it with.
type gateFn struct{ tokens, release chan string }

func newGate() *gateFn { return &gateFn{tokens: make(chan string, 4), release: make(chan string)} }

func (g *gateFn) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev checkpoint.InvocationEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	g.tokens <- ev.CheckpointToken
	select {
	case out := <-g.release:
		return []byte(out), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *gateFn) token(t *testing.T) string {
	t.Helper()
	select {
	case tok := <-g.tokens:
		return tok
	case <-time.After(20 * time.Second):
		t.Fatal("no invocation")
		return ""
	}
}

// TestFailedSaveIsNotApplied makes the store refuse every write and checks
// that each API call that changes an execution fails with a retryable
// ServiceException and changes nothing, in memory or in the store; once
// the store works again, the same calls succeed.
func TestFailedSaveIsNotApplied(t *testing.T) {
	store := &flakyStore{MemoryStore: NewMemoryStore()}
	v := newEnv(t, WithStore(store), WithTimeSkipping(SkipNever))
	g := newGate()
	v.register("gate", g)
	arn := v.start("gate", "")
	tok := g.token(t)

	// Checkpoint: the invocation's first step is refused.
	before := v.history(arn)
	store.setFailing(true)
	step := []checkpoint.OperationUpdate{stepStart("s1", "first"), stepSucceed("s1", "1")}
	_, err := v.svc.Checkpoint(v.ctx(), &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: tok,
		ClientToken: "c1", Updates: step})
	wantCode(t, err, CodeService, "could not store")
	if !checkpoint.IsRetryable(classify("CheckpointDurableExecution", err)) {
		t.Fatalf("a refused save is not retryable: %v", err)
	}
	if after := v.history(arn); len(after) != len(before) {
		t.Fatalf("a refused checkpoint added %d events", len(after)-len(before))
	}
	st, err := v.svc.GetState(v.ctx(), &checkpoint.StateInput{DurableExecutionArn: arn, CheckpointToken: tok})
	if err != nil || len(st.Operations) != 1 {
		t.Fatalf("state after a refused checkpoint = %+v, %v; want the EXECUTION operation only", st, err)
	}
	store.setFailing(false)
	wantStoreAgrees(t, v.svc, store)
	// The same request, retried with the same tokens, is applied once.
	out, err := v.svc.Checkpoint(v.ctx(), &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: tok,
		ClientToken: "c1", Updates: step})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.svc.Checkpoint(v.ctx(), &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: out.CheckpointToken,
		ClientToken: "c2", Updates: []checkpoint.OperationUpdate{callbackStart("cb1", "approve", 0, 600)}}); err != nil {
		t.Fatal(err)
	}
	g.release <- `{"Status":"PENDING"}`
	v.idle()
	wantStoreAgrees(t, v.svc, store)
	cbs, _ := v.svc.OpenCallbacks(arn)
	if len(cbs) != 1 {
		t.Fatalf("open callbacks: %+v", cbs)
	}
	cb := cbs[0].CallbackId

	store.setFailing(true)
	before = v.history(arn)
	err = v.svc.SendCallbackHeartbeat(v.ctx(), &SendCallbackHeartbeatInput{CallbackId: cb})
	wantCode(t, err, CodeService, "could not store")
	err = v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb, Result: []byte("yes")})
	wantCode(t, err, CodeService, "could not store")
	_, err = v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn})
	wantCode(t, err, CodeService, "could not store")
	_, err = v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "gate", ExecutionName: "refused", Async: true})
	wantCode(t, err, CodeService, "could not store")
	if after := v.history(arn); len(after) != len(before) {
		t.Fatalf("refused calls added %d events", len(after)-len(before))
	}
	if got, _ := v.svc.OpenCallbacks(arn); len(got) != 1 {
		t.Fatalf("a refused callback answer closed the callback: %+v", got)
	}
	if got, _ := v.svc.GetExecution(v.ctx(), &GetExecutionInput{DurableExecutionArn: arn}); got.Status != ExecutionRunning {
		t.Fatalf("a refused stop changed the status to %s", got.Status)
	}
	if n := len(v.svc.Executions()); n != 1 {
		t.Fatalf("a refused start left %d executions", n)
	}
	v.idle()
	select {
	case <-g.tokens:
		t.Fatal("a refused change started an invocation")
	default:
	}
	store.setFailing(false)
	wantStoreAgrees(t, v.svc, store)

	if err := v.svc.SendCallbackSuccess(v.ctx(), &SendCallbackSuccessInput{CallbackId: cb, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	g.token(t) // the answer invokes the execution again
	wantStoreAgrees(t, v.svc, store)
	if _, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn}); err != nil {
		t.Fatal(err)
	}
	go func() { g.release <- `{"Status":"PENDING"}` }()
	v.idle()
	wantStoreAgrees(t, v.svc, store)
}

// TestFailedBackgroundSaveIsRetried fails the save of a timer's change (no
// API call waits for it) and checks that the next save of any execution
// writes it, so that memory and store agree again.
func TestFailedBackgroundSaveIsRetried(t *testing.T) {
	store := &flakyStore{MemoryStore: NewMemoryStore()}
	clk := NewVirtualClock(time.Time{})
	s := New(WithClock(clk), WithStore(store))
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_ = s.RegisterFunction("wf", workflowFn())
	_ = s.RegisterFunction("echo", echoFn())
	arn, _ := s.StartExecution(ctx, StartInput{FunctionName: "wf", Async: true})
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	store.setFailing(true)
	s.mu.Unlock()
	clk.Advance(10 * time.Second) // the wait ends: its save is refused
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	store.setFailing(false)
	unsaved := len(s.unsaved)
	s.mu.Unlock()
	if unsaved == 0 {
		t.Fatalf("no execution is marked unsaved after a refused save (refused %d)", store.refused)
	}
	if _, err := s.StartExecution(ctx, StartInput{FunctionName: "echo", Input: []byte(`"x"`)}); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	wantStoreAgrees(t, s, store)
	if h, _ := s.GetHistory(ctx, &GetHistoryInput{DurableExecutionArn: arn}); !hasType(h.Events, EventWaitSucceeded) {
		t.Fatal("the wait did not end")
	}
}

func hasType(evs []Event, typ EventType) bool {
	return slices.ContainsFunc(evs, func(ev Event) bool { return ev.EventType == typ })
}

// blockingStore is a MemoryStore whose next save, once armed, waits until
// released.
type blockingStore struct {
	*MemoryStore
	mu       sync.Mutex
	armed    bool
	entered  chan struct{}
	released chan struct{}
}

func (b *blockingStore) arm() {
	b.mu.Lock()
	b.armed, b.entered, b.released = true, make(chan struct{}), make(chan struct{})
	b.mu.Unlock()
}

func (b *blockingStore) Save(ctx context.Context, arn string, ch *Change) error {
	b.mu.Lock()
	armed := b.armed
	b.armed = false
	entered, released := b.entered, b.released
	b.mu.Unlock()
	if armed {
		close(entered)
		<-released
	}
	return b.MemoryStore.Save(ctx, arn, ch)
}

// TestChangesWaitForTheSaveInFlight holds a checkpoint's write in the
// store while a wait of the same execution ends and a stop arrives: the
// service keeps answering reads, applies both only after the write, in
// that order, and memory and store agree.
func TestChangesWaitForTheSaveInFlight(t *testing.T) {
	store := &blockingStore{MemoryStore: NewMemoryStore()}
	v := newEnv(t, WithStore(store), WithTimeSkipping(SkipNever))
	g := newGate()
	v.register("gate", g)
	arn := v.start("gate", "")
	tok := g.token(t)
	out, err := v.svc.Checkpoint(v.ctx(), &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: tok,
		Updates: []checkpoint.OperationUpdate{waitStart("w1", 10)}})
	if err != nil {
		t.Fatal(err)
	}

	store.arm()
	saved := make(chan error, 1)
	go func() {
		_, err := v.svc.Checkpoint(v.ctx(), &checkpoint.CheckpointInput{DurableExecutionArn: arn, CheckpointToken: out.CheckpointToken,
			Updates: []checkpoint.OperationUpdate{stepStart("s1", "slow"), stepSucceed("s1", "1")}})
		saved <- err
	}()
	<-store.entered
	v.clk.Advance(10 * time.Second) // the wait is due while the step is being written
	stopped := make(chan error, 1)
	go func() {
		_, err := v.svc.StopExecution(v.ctx(), &StopExecutionInput{DurableExecutionArn: arn})
		stopped <- err
	}()
	if got := v.types(arn); hasType(v.history(arn), EventWaitSucceeded) || hasType(v.history(arn), EventStepSucceeded) {
		t.Fatalf("changes applied while the write is in flight: %v", got)
	}
	close(store.released)
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	go func() { g.release <- `{"Status":"PENDING"}` }()
	v.idle()
	wantTypes(t, v.types(arn), EventExecutionStarted, EventWaitStarted, EventStepStarted, EventStepSucceeded,
		EventWaitSucceeded, EventInvocationCompleted, EventExecutionStopped)
	wantStoreAgrees(t, v.svc, store)
}
