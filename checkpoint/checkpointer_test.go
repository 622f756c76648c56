package checkpoint

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// deadline bounds every wait of these tests: a send that should happen and
// does not fails the test quickly instead of hanging it.
const deadline = 2 * time.Second

// recClient records requests, answers with a new token and echoes each
// update as an operation in the delta. With gate set, each call reports its
// arrival on entered and waits for a release on gate (or its context).
type recClient struct {
	mu       sync.Mutex
	reqs     [][]OperationUpdate
	tokens   []string
	seq      int
	fail     error
	noToken  bool
	gate     chan struct{}
	entered  chan struct{}
	pages    int // deltas carry a NextMarker this many times
	getCalls int
	state    func(*ExecutionState) // edits each delta, if set
}

// gated returns a recClient whose calls wait for release.
func gated() *recClient {
	return &recClient{gate: make(chan struct{}), entered: make(chan struct{}, 100)}
}

func (c *recClient) Checkpoint(ctx context.Context, in *CheckpointInput) (*CheckpointOutput, error) {
	if c.gate != nil {
		c.entered <- struct{}{}
		select {
		case <-c.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, append([]OperationUpdate(nil), in.Updates...))
	c.tokens = append(c.tokens, in.CheckpointToken)
	if c.fail != nil {
		return nil, c.fail
	}
	c.seq++
	out := &CheckpointOutput{CheckpointToken: "t" + strconv.Itoa(c.seq), NewExecutionState: &ExecutionState{}}
	for _, u := range in.Updates {
		out.NewExecutionState.Operations = append(out.NewExecutionState.Operations, Operation{Id: u.Id, Type: u.Type, Status: StatusStarted})
	}
	if c.pages > 0 {
		out.NewExecutionState.NextMarker = "m0"
	}
	if c.noToken {
		out.CheckpointToken = ""
	}
	if c.state != nil {
		c.state(out.NewExecutionState)
	}
	return out, nil
}

func (c *recClient) GetExecutionState(ctx context.Context, in *StateInput) (*ExecutionState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getCalls++
	st := &ExecutionState{Operations: []Operation{{Id: "page" + strconv.Itoa(c.getCalls), Type: TypeWait, Status: StatusSucceeded}}}
	if c.getCalls < c.pages {
		st.NextMarker = "m" + strconv.Itoa(c.getCalls)
	}
	return st, nil
}

func (c *recClient) requests() [][]OperationUpdate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]OperationUpdate(nil), c.reqs...)
}

// arrive waits until a call has entered the gated client.
func (c *recClient) arrive(t *testing.T) {
	t.Helper()
	select {
	case <-c.entered:
	case <-time.After(deadline):
		t.Fatalf("no request arrived within %v (requests so far: %s)", deadline, ids(c.requests()))
	}
}

// release lets one call of the gated client return.
func (c *recClient) release(t *testing.T) {
	t.Helper()
	select {
	case c.gate <- struct{}{}:
	case <-time.After(deadline):
		t.Fatal("no request to release")
	}
}

// timers is an injected AfterFunc whose timers fire on demand.
type timers struct {
	mu     sync.Mutex
	armed  []timer
	delays []time.Duration
}

type timer struct {
	d       time.Duration
	f       func()
	stopped *bool
}

func (ts *timers) afterFunc(d time.Duration, f func()) func() bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	stopped := new(bool)
	ts.armed = append(ts.armed, timer{d, f, stopped})
	ts.delays = append(ts.delays, d)
	return func() bool {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		was := !*stopped
		*stopped = true
		return was
	}
}

// fire runs every armed, unstopped timer of delay d; it reports how many.
func (ts *timers) fire(d time.Duration) int {
	ts.mu.Lock()
	var due []func()
	rest := ts.armed[:0]
	for _, tm := range ts.armed {
		switch {
		case *tm.stopped:
		case tm.d == d:
			*tm.stopped = true
			due = append(due, tm.f)
		default:
			rest = append(rest, tm)
		}
	}
	ts.armed = rest
	ts.mu.Unlock()
	for _, f := range due {
		f()
	}
	return len(due)
}

func newCP(t *testing.T, c Client, mode Mode, mod ...func(*CheckpointerConfig)) (*Checkpointer, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	ts := &timers{} // timers never fire unless a test fires them
	cfg := CheckpointerConfig{Client: c, ExecutionARN: "arn", Token: "t0", Mode: mode, AfterFunc: ts.afterFunc, OnState: func(st *ExecutionState) {
		mu.Lock()
		defer mu.Unlock()
		for _, op := range st.Operations {
			seen = append(seen, op.Id)
		}
	}}
	for _, m := range mod {
		m(&cfg)
	}
	cp, err := NewCheckpointer(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if rc, ok := c.(*recClient); ok && rc.gate != nil {
			close(rc.gate)
		}
		cp.Close()
	})
	return cp, &seen
}

// withTimers makes newCP use ts.
func withTimers(ts *timers) func(*CheckpointerConfig) {
	return func(cfg *CheckpointerConfig) { cfg.AfterFunc = ts.afterFunc }
}

func step(id string, a Action) OperationUpdate {
	return OperationUpdate{Id: id, Type: TypeStep, SubType: "Step", Action: a}
}

func ids(reqs [][]OperationUpdate) string {
	var parts []string
	for _, r := range reqs {
		var p []string
		for _, u := range r {
			p = append(p, u.Id+string(u.Action[0]))
		}
		parts = append(parts, strings.Join(p, ","))
	}
	return strings.Join(parts, " | ")
}

// idle checks that nothing is being sent or would be sent in the
// background: what the client saw is final until the next point.
func idle(t *testing.T, cp *Checkpointer) {
	t.Helper()
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.sending || cp.shouldSendLocked() {
		t.Fatalf("a background send is due or in flight (queued %d, flushTo %d, sent %d)", len(cp.queue), cp.flushTo, cp.sent)
	}
}

// wantRequests waits until the client saw exactly want (in ids form) and
// the Checkpointer has nothing more to send.
func wantRequests(t *testing.T, c *recClient, cp *Checkpointer, want string) {
	t.Helper()
	end := time.Now().Add(deadline)
	for ids(c.requests()) != want || cp.Pending() > 0 && strings.Count(want, "|")+1 > len(c.requests()) {
		if time.Now().After(end) {
			t.Fatalf("requests %q, want %q", ids(c.requests()), want)
		}
		time.Sleep(time.Millisecond)
	}
	idle(t, cp)
	if got := ids(c.requests()); got != want {
		t.Fatalf("requests %q, want %q", got, want)
	}
}

// returns runs f on its own goroutine and returns a channel of its error.
func returns(f func() error) chan error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

// blocked checks that f's channel has no result yet (f still waits).
func blocked(t *testing.T, ch chan error, what string) {
	t.Helper()
	select {
	case err := <-ch:
		t.Fatalf("%s returned (%v) while its updates were not durable", what, err)
	default:
	}
}

// done waits for f's result.
func done(t *testing.T, ch chan error, what string) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(deadline):
		t.Fatalf("%s did not return within %v", what, deadline)
		return nil
	}
}

func TestPolicyTable(t *testing.T) {
	// The table of Point's documentation, row by row: which points make
	// everything durable in each mode (Batched's Outcome only past
	// MaxUpdates not durable).
	want := map[string]string{
		"eager":      "operation start=queue at-most-once start=durable outcome=durable retry scheduled=durable callback start=durable cancellation=durable suspension=durable invocation end=durable",
		"batched":    "operation start=queue at-most-once start=durable outcome=queue retry scheduled=durable callback start=durable cancellation=durable suspension=durable invocation end=durable",
		"optimistic": "operation start=queue at-most-once start=durable outcome=queue retry scheduled=durable callback start=durable cancellation=durable suspension=durable invocation end=durable",
	}
	for _, m := range []Mode{Eager{}, Batched{MaxUpdates: 5}, Optimistic{}} {
		p := m.policy()
		var got []string
		for pt := Point(0); pt < numPoints; pt++ {
			act := "queue"
			if p.mustBeDurable(pt, queueState{notDurable: 4}) {
				act = "durable"
			}
			got = append(got, pt.String()+"="+act)
		}
		if g := strings.Join(got, " "); g != want[ModeName(m)] {
			t.Errorf("%s:\n got %s\nwant %s", ModeName(m), g, want[ModeName(m)])
		}
		if p.mustBeDurable(Outcome, queueState{notDurable: 5}) != (ModeName(m) != "optimistic") {
			t.Errorf("%s: outcome with 5 not durable", ModeName(m))
		}
		if p.sendNow(queueState{queued: 4, queuedBytes: 100}) {
			t.Errorf("%s: sends 4 small updates in the background", ModeName(m))
		}
		if p.sendNow(queueState{queued: 5}) != (ModeName(m) == "batched") {
			t.Errorf("%s: 5 queued updates", ModeName(m))
		}
	}
}

func TestEagerCommitIsDurableAndUsesTokens(t *testing.T) {
	c := &recClient{}
	cp, seen := newCP(t, c, Eager{})
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		id := strconv.Itoa(i)
		if err := cp.Commit(ctx, step(id, ActionStart), step(id, ActionSucceed)); err != nil {
			t.Fatal(err)
		}
		if got := len(c.requests()); got != i {
			t.Fatalf("after commit %d: %d requests", i, got)
		}
	}
	wantRequests(t, c, cp, "1S,1S | 2S,2S | 3S,3S")
	if strings.Join(c.tokens, ",") != "t0,t1,t2" {
		t.Fatalf("tokens %v", c.tokens)
	}
	if len(*seen) != 6 {
		t.Fatalf("OnState saw %v", *seen)
	}
}

// An eager commit sends its request itself when none is in flight, and
// what others queue meanwhile goes in the next request (group commit).
func TestEagerGroupCommit(t *testing.T) {
	c := gated()
	cp, _ := newCP(t, c, Eager{})
	ctx := context.Background()
	first := returns(func() error { return cp.Commit(ctx, step("1", ActionStart)) })
	c.arrive(t) // the first request is in flight
	var later []chan error
	for i := 2; i <= 4; i++ {
		later = append(later, returns(func() error { return cp.Commit(ctx, step(strconv.Itoa(i), ActionStart)) }))
	}
	end := time.Now().Add(deadline)
	for cp.Pending() < 4 { // all three are queued behind the first
		if time.Now().After(end) {
			t.Fatalf("%d pending", cp.Pending())
		}
		time.Sleep(time.Millisecond)
	}
	blocked(t, first, "the first commit")
	c.release(t)
	if err := done(t, first, "the first commit"); err != nil {
		t.Fatal(err)
	}
	c.arrive(t)
	for _, ch := range later {
		blocked(t, ch, "a grouped commit")
	}
	c.release(t)
	for _, ch := range later {
		if err := done(t, ch, "a grouped commit"); err != nil {
			t.Fatal(err)
		}
	}
	// The three commits queued in any order: sort the second request.
	reqs := c.requests()
	if len(reqs) == 2 {
		slices.SortFunc(reqs[1], func(a, b OperationUpdate) int { return strings.Compare(a.Id, b.Id) })
	}
	if got := ids(reqs); got != "1S | 2S,3S,4S" {
		t.Fatalf("requests %q", got)
	}
	idle(t, cp)
}

// A START is sent without blocking the body: with the outcome when the
// operation ends within StartDelay, else on its own once StartDelay has
// passed, in every mode.
func TestStartIsSentWhileTheBodyRuns(t *testing.T) {
	for _, mode := range []Mode{Eager{}, Batched{MaxUpdates: 10}, Optimistic{}} {
		t.Run(ModeName(mode), func(t *testing.T) {
			ctx := context.Background()
			ts := &timers{}
			c := &recClient{}
			cp, _ := newCP(t, c, mode, withTimers(ts))
			// A fast operation: START and outcome travel together.
			if err := cp.Enqueue(step("1", ActionStart)); err != nil {
				t.Fatal(err)
			}
			if err := cp.At(ctx, OperationStart); err != nil {
				t.Fatal(err)
			}
			idle(t, cp)
			if err := cp.Enqueue(step("1", ActionSucceed)); err != nil {
				t.Fatal(err)
			}
			if err := cp.At(ctx, Outcome); err != nil {
				t.Fatal(err)
			}
			if n := ts.fire(StartDelay); n != 1 {
				t.Fatalf("%d StartDelay timers fired, want 1", n)
			}
			idle(t, cp)
			if err := cp.At(ctx, InvocationEnd); err != nil {
				t.Fatal(err)
			}
			wantRequests(t, c, cp, "1S,1S")

			// A slow one: its START goes alone once StartDelay has passed.
			_ = cp.Enqueue(OperationUpdate{Id: "c", Type: TypeContext, Action: ActionStart})
			_ = cp.Enqueue(step("c-1", ActionStart))
			idle(t, cp)
			if n := ts.fire(StartDelay); n != 1 {
				t.Fatalf("%d StartDelay timers fired, want 1", n)
			}
			wantRequests(t, c, cp, "1S,1S | cS,c-1S")
			// The timer armed while they were queued finds nothing due,
			// and is not armed again.
			ts.fire(StartDelay)
			wantRequests(t, c, cp, "1S,1S | cS,c-1S")
			if n := ts.fire(StartDelay); n != 0 {
				t.Fatalf("%d StartDelay timers fired after the STARTs were sent", n)
			}
		})
	}
}

// The StartDelay timer sends only STARTs queued before it was armed: an
// operation that began just before it fires gets a full StartDelay.
func TestStartDelayIsAFullPeriod(t *testing.T) {
	ts := &timers{}
	c := &recClient{}
	cp, _ := newCP(t, c, Optimistic{}, withTimers(ts))
	_ = cp.Enqueue(step("1", ActionStart)) // arms the timer
	_ = cp.Enqueue(step("1", ActionSucceed))
	_ = cp.Enqueue(step("2", ActionStart)) // after the timer was armed
	if n := ts.fire(StartDelay); n != 1 {
		t.Fatalf("%d timers fired", n)
	}
	idle(t, cp) // 2 is open, but not for a full period yet
	if n := ts.fire(StartDelay); n != 1 {
		t.Fatalf("%d timers fired, want the re-armed one", n)
	}
	wantRequests(t, c, cp, "1S,1S,2S")
}

func TestBatchSplitting(t *testing.T) {
	t.Run("count", func(t *testing.T) {
		c := &recClient{}
		cp, _ := newCP(t, c, Optimistic{})
		for i := range 600 {
			_ = cp.Enqueue(OperationUpdate{Id: strconv.Itoa(i), Type: TypeWait, Action: ActionStart})
		}
		if err := cp.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := c.requests()
		if len(reqs) != 3 || len(reqs[0]) != 250 || len(reqs[1]) != 250 || len(reqs[2]) != 100 || reqs[2][99].Id != "599" {
			t.Fatalf("%d requests", len(reqs))
		}
	})
	t.Run("bytes", func(t *testing.T) {
		c := &recClient{}
		cp, _ := newCP(t, c, Optimistic{})
		big := strings.Repeat("x", 300*1024)
		for i := range 5 {
			_ = cp.Enqueue(OperationUpdate{Id: strconv.Itoa(i), Type: TypeStep, Action: ActionSucceed, Payload: big})
		}
		_ = cp.Sync(context.Background())
		reqs := c.requests()
		if len(reqs) != 3 || len(reqs[0]) != 2 || len(reqs[2]) != 1 {
			t.Fatalf("requests %s", ids(reqs))
		}
		for _, r := range reqs {
			n := 0
			for i := range r {
				n += UpdateSize(&r[i])
			}
			if n > MaxBatchBytes {
				t.Fatalf("request of %d bytes", n)
			}
		}
	})
	t.Run("execution last and same id", func(t *testing.T) {
		c := &recClient{}
		cp, _ := newCP(t, c, Optimistic{})
		_ = cp.Enqueue(step("1", ActionStart), step("1", ActionSucceed), step("2", ActionStart), step("2", ActionRetry), step("2", ActionStart),
			OperationUpdate{Id: "ctx", Type: TypeContext, Action: ActionStart}, step("ctx-1", ActionStart),
			OperationUpdate{Id: "ctx", Type: TypeContext, Action: ActionSucceed},
			OperationUpdate{Id: "e", Type: TypeExecution, Action: ActionSucceed}, step("3", ActionStart))
		_ = cp.Sync(context.Background())
		if got := ids(c.requests()); got != "1S,1S,2S,2R | 2S,ctxS,ctx-1S,ctxS,eS | 3S" {
			t.Fatal(got)
		}
	})
}

// In a long request too, a STEP's START and SUCCEED may travel together
// while a second update of any other id starts the next request.
func TestLongRequestsKeepOneUpdatePerID(t *testing.T) {
	c := &recClient{}
	cp, _ := newCP(t, c, Optimistic{})
	var want []string
	for i := range 10 {
		id := "w" + strconv.Itoa(i)
		_ = cp.Enqueue(OperationUpdate{Id: id, Type: TypeWait, Action: ActionStart})
		want = append(want, id+"S")
	}
	_ = cp.Enqueue(step("s", ActionStart), step("s", ActionSucceed),
		OperationUpdate{Id: "w3", Type: TypeWait, Action: ActionCancel}, step("x", ActionStart), step("s", ActionStart))
	if err := cp.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ids(c.requests()); got != strings.Join(want, ",")+",sS,sS | w3C,xS,sS" {
		t.Fatal(got)
	}
}

// Batched sends in the background once MaxUpdates wait, without blocking
// the caller, and not before.
func TestBatchedFlushesByCount(t *testing.T) {
	c := gated()
	cp, _ := newCP(t, c, Batched{MaxUpdates: 3})
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		if err := cp.Commit(ctx, step(strconv.Itoa(i), ActionStart)); err != nil {
			t.Fatal(err)
		}
		idle(t, cp)
	}
	if err := cp.Enqueue(step("3", ActionStart)); err != nil {
		t.Fatal(err)
	}
	c.arrive(t) // sent in the background: Enqueue did not wait
	c.release(t)
	wantRequests(t, c, cp, "1S,2S,3S")
}

// An outcome that leaves MaxUpdates updates not durable waits until they
// are: no more than MaxUpdates updates are ever not durable once an
// operation returns.
func TestBatchedOutcomeWaitsPastMaxUpdates(t *testing.T) {
	c := gated()
	cp, _ := newCP(t, c, Batched{MaxUpdates: 4})
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if err := cp.Commit(ctx, step(strconv.Itoa(i), ActionSucceed)); err != nil {
			t.Fatal(err)
		}
	}
	fourth := returns(func() error { return cp.Commit(ctx, step("4", ActionSucceed)) })
	c.arrive(t)
	blocked(t, fourth, "the fourth outcome")
	c.release(t)
	if err := done(t, fourth, "the fourth outcome"); err != nil {
		t.Fatal(err)
	}
	if cp.Pending() != 0 {
		t.Fatalf("%d pending after the outcome returned", cp.Pending())
	}
	wantRequests(t, c, cp, "1S,2S,3S,4S")
}

func TestBatchedFlushesByBytes(t *testing.T) {
	c := &recClient{}
	cp, _ := newCP(t, c, Batched{MaxBytes: 1000})
	_ = cp.Enqueue(step("1", ActionStart))
	idle(t, cp)
	_ = cp.Enqueue(OperationUpdate{Id: "1", Type: TypeStep, Action: ActionSucceed, Payload: strings.Repeat("y", 1000)})
	wantRequests(t, c, cp, "1S,1S")
}

func TestBatchedFlushesByAge(t *testing.T) {
	c := &recClient{}
	ts := &timers{}
	cp, _ := newCP(t, c, Batched{MaxDelay: 2 * time.Second}, withTimers(ts))
	if err := cp.Commit(context.Background(), step("1", ActionSucceed)); err != nil {
		t.Fatal(err)
	}
	idle(t, cp)
	if n := ts.fire(2 * time.Second); n != 1 {
		t.Fatalf("%d MaxDelay timers fired, want 1", n)
	}
	wantRequests(t, c, cp, "1S")
	// The queue emptied: the next update arms a new timer.
	_ = cp.Enqueue(step("2", ActionSucceed))
	if n := ts.fire(2 * time.Second); n != 1 {
		t.Fatalf("%d MaxDelay timers fired, want 1", n)
	}
	wantRequests(t, c, cp, "1S | 2S")
}

func TestOptimisticFlushesOnlyAtDurablePoints(t *testing.T) {
	c := &recClient{}
	cp, _ := newCP(t, c, Optimistic{})
	ctx := context.Background()
	for i := range 10 {
		if err := cp.Commit(ctx, step(strconv.Itoa(i), ActionSucceed)); err != nil {
			t.Fatal(err)
		}
	}
	idle(t, cp)
	if len(c.requests()) != 0 || cp.Pending() != 10 {
		t.Fatal("optimistic sent before a durable point")
	}
	if err := cp.At(ctx, Suspension); err != nil {
		t.Fatal(err)
	}
	if len(c.requests()) != 1 || cp.Pending() != 0 {
		t.Fatalf("requests %d", len(c.requests()))
	}
}

func TestErrorsAreSticky(t *testing.T) {
	c := &recClient{fail: &Error{Operation: "CheckpointDurableExecution", StatusCode: 500, Retryable: true}}
	cp, _ := newCP(t, c, Eager{})
	err := cp.Commit(context.Background(), step("1", ActionStart))
	if !IsRetryable(err) {
		t.Fatalf("err %v", err)
	}
	if err := cp.Enqueue(step("2", ActionStart)); !IsRetryable(err) {
		t.Fatalf("enqueue after failure: %v", err)
	}
	if len(c.requests()) != 1 {
		t.Fatal("retried inside the checkpointer")
	}
}

func TestNoTokenStopsFurtherUpdates(t *testing.T) {
	c := &recClient{noToken: true}
	cp, _ := newCP(t, c, Eager{})
	err := cp.Commit(context.Background(), step("1", ActionStart))
	if !errors.Is(err, ErrNoToken) || IsRetryable(err) {
		t.Fatalf("err %v", err)
	}
	if err := cp.Commit(context.Background(), step("2", ActionStart)); !errors.Is(err, ErrNoToken) {
		t.Fatalf("second commit %v", err)
	}
}

func TestDeltaPagesReachOnState(t *testing.T) {
	c := &recClient{pages: 2}
	cp, seen := newCP(t, c, Eager{})
	if err := cp.Commit(context.Background(), step("1", ActionStart)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(*seen, ",") != "1,page1,page2" {
		t.Fatalf("OnState saw %v", *seen)
	}
}

// A checkpoint answer is checked like the initial state: an operation of
// unknown status or type fails the Checkpointer, terminally.
func TestInvalidDeltaIsAnError(t *testing.T) {
	for name, edit := range map[string]func(*ExecutionState){
		"status": func(st *ExecutionState) { st.Operations[0].Status = "DONE" },
		"type":   func(st *ExecutionState) { st.Operations[0].Type = "TIMER" },
		"id":     func(st *ExecutionState) { st.Operations[0].Id = "" },
	} {
		t.Run(name, func(t *testing.T) {
			c := &recClient{state: edit}
			cp, seen := newCP(t, c, Eager{})
			err := cp.Commit(context.Background(), step("1", ActionStart))
			if !errors.Is(err, ErrInvalidOperation) || IsRetryable(err) {
				t.Fatalf("err %v, want a terminal ErrInvalidOperation", err)
			}
			if len(*seen) != 0 {
				t.Fatalf("OnState saw %v", *seen)
			}
		})
	}
}

func TestSyncRespectsContext(t *testing.T) {
	c := gated()
	cp, _ := newCP(t, c, Optimistic{})
	_ = cp.Enqueue(step("1", ActionStart))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cp.Sync(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

type ctxKey struct{}

// A commit blocked behind a request that does not return ends when its
// context ends: with the Checkpointer's own context, the caller sends the
// request itself under that context; with another context, the
// background goroutine sends it and the caller's wait ends on its own.
func TestWaitersWakeWhenTheirContextEnds(t *testing.T) {
	for _, shared := range []bool{true, false} {
		c := gated()
		ctx, cancel := context.WithCancel(context.Background())
		cp, err := NewCheckpointer(ctx, CheckpointerConfig{Client: c, ExecutionARN: "arn", Token: "t0"})
		if err != nil {
			t.Fatal(err)
		}
		waitCtx, cancelWait := context.WithValue(ctx, ctxKey{}, 1), cancel
		if !shared {
			waitCtx, cancelWait = context.WithCancel(context.Background())
		}
		errc := returns(func() error { return cp.Commit(waitCtx, step("1", ActionStart)) })
		c.arrive(t)
		cancelWait()
		if err := done(t, errc, "the commit"); !errors.Is(err, context.Canceled) {
			t.Errorf("shared=%v: Commit returned %v, want context.Canceled", shared, err)
		}
		close(c.gate)
		cp.Close()
		cancel()
	}
}

func TestConfigValidation(t *testing.T) {
	if _, err := NewCheckpointer(context.Background(), CheckpointerConfig{}); err == nil {
		t.Fatal("empty config accepted")
	}
	for _, m := range []Mode{Batched{MaxUpdates: -1}, Batched{MaxUpdates: 251}, Batched{MaxBytes: MaxBatchBytes + 1}, Batched{MaxDelay: -1}} {
		if ValidateMode(m) == nil {
			t.Errorf("%+v accepted", m)
		}
	}
	if ModeName(nil) != "eager" || ModeName(Batched{}) != "batched" || ModeName(Optimistic{}) != "optimistic" {
		t.Fatal("names")
	}
}

func TestClosedCheckpointer(t *testing.T) {
	cp, _ := newCP(t, &recClient{}, Eager{})
	cp.Close()
	if err := cp.Enqueue(step("1", ActionStart)); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
	if err := cp.Sync(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
}
