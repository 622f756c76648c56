package checkpoint

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// recClient records requests, answers with a new token and echoes each
// update as an operation in the delta.
type recClient struct {
	mu       sync.Mutex
	reqs     [][]OperationUpdate
	tokens   []string
	seq      int
	fail     error
	noToken  bool
	block    chan struct{} // if set, each call waits for a receive
	entered  chan struct{} // if set, signalled when a call starts
	pages    int           // deltas carry a NextMarker this many times
	getCalls int
}

func (c *recClient) Checkpoint(ctx context.Context, in *CheckpointInput) (*CheckpointOutput, error) {
	if c.entered != nil {
		c.entered <- struct{}{}
	}
	if c.block != nil {
		<-c.block
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
		out.NewExecutionState.NextMarker = "m"
	}
	if c.noToken {
		out.CheckpointToken = ""
	}
	return out, nil
}

func (c *recClient) GetExecutionState(ctx context.Context, in *StateInput) (*ExecutionState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getCalls++
	st := &ExecutionState{Operations: []Operation{{Id: "page" + strconv.Itoa(c.getCalls), Type: TypeWait, Status: StatusSucceeded}}}
	if c.getCalls < c.pages {
		st.NextMarker = "m"
	}
	return st, nil
}

func (c *recClient) requests() [][]OperationUpdate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]OperationUpdate(nil), c.reqs...)
}

func newCP(t *testing.T, c Client, mode Mode, mod ...func(*CheckpointerConfig)) (*Checkpointer, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	cfg := CheckpointerConfig{Client: c, ExecutionARN: "arn", Token: "t0", Mode: mode, OnState: func(st *ExecutionState) {
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
	t.Cleanup(func() { cp.Close() })
	return cp, &seen
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
	if ids(c.requests()) != "1S,1S | 2S,2S | 3S,3S" {
		t.Fatal(ids(c.requests()))
	}
	if strings.Join(c.tokens, ",") != "t0,t1,t2" {
		t.Fatalf("tokens %v", c.tokens)
	}
	if len(*seen) != 6 {
		t.Fatalf("OnState saw %v", *seen)
	}
}

func TestEagerGroupCommit(t *testing.T) {
	c := &recClient{block: make(chan struct{}), entered: make(chan struct{}, 10)}
	cp, _ := newCP(t, c, Eager{})
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = cp.Commit(ctx, step("1", ActionStart)) }()
	<-c.entered // first request in flight
	for i := 2; i <= 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = cp.Commit(ctx, step(strconv.Itoa(i), ActionStart)) }()
	}
	for cp.Pending() < 4 { // wait until all three are queued behind the first
		time.Sleep(time.Millisecond)
	}
	c.block <- struct{}{}
	<-c.entered
	c.block <- struct{}{}
	wg.Wait()
	if got := c.requests(); len(got) != 2 || len(got[1]) != 3 {
		t.Fatalf("requests %s", ids(got))
	}
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

func TestBatchedFlushRules(t *testing.T) {
	t.Run("count", func(t *testing.T) {
		c := &recClient{}
		cp, _ := newCP(t, c, Batched{MaxUpdates: 3})
		ctx := context.Background()
		_ = cp.Commit(ctx, step("1", ActionStart))
		_ = cp.Commit(ctx, step("2", ActionStart))
		if len(c.requests()) != 0 {
			t.Fatal("flushed below MaxUpdates")
		}
		_ = cp.Commit(ctx, step("3", ActionStart))
		for cp.Pending() > 0 {
			time.Sleep(time.Millisecond)
		}
		if got := ids(c.requests()); got != "1S,2S,3S" {
			t.Fatal(got)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		c := &recClient{}
		cp, _ := newCP(t, c, Batched{MaxBytes: 1000})
		_ = cp.Commit(context.Background(), OperationUpdate{Id: "1", Type: TypeStep, Action: ActionSucceed, Payload: strings.Repeat("y", 1000)})
		for cp.Pending() > 0 {
			time.Sleep(time.Millisecond)
		}
		if len(c.requests()) != 1 {
			t.Fatal("not flushed by bytes")
		}
	})
	t.Run("age", func(t *testing.T) {
		c := &recClient{}
		var fire func()
		var delay time.Duration
		cp, _ := newCP(t, c, Batched{MaxDelay: 2 * time.Second}, func(cfg *CheckpointerConfig) {
			cfg.AfterFunc = func(d time.Duration, f func()) func() bool { delay, fire = d, f; return func() bool { return true } }
		})
		_ = cp.Commit(context.Background(), step("1", ActionStart))
		if len(c.requests()) != 0 || fire == nil || delay != 2*time.Second {
			t.Fatal("timer not armed")
		}
		fire()
		for cp.Pending() > 0 {
			time.Sleep(time.Millisecond)
		}
		if len(c.requests()) != 1 {
			t.Fatal("not flushed by age")
		}
	})
}

func TestOptimisticFlushesOnlyAtSync(t *testing.T) {
	c := &recClient{}
	cp, _ := newCP(t, c, Optimistic{})
	ctx := context.Background()
	for i := range 10 {
		if err := cp.Commit(ctx, step(strconv.Itoa(i), ActionStart)); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.requests()) != 0 || cp.Pending() != 10 {
		t.Fatal("optimistic sent before Sync")
	}
	if err := cp.Sync(ctx); err != nil {
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

func TestSyncRespectsContext(t *testing.T) {
	c := &recClient{block: make(chan struct{})}
	cp, _ := newCP(t, c, Optimistic{})
	_ = cp.Enqueue(step("1", ActionStart))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cp.Sync(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	close(c.block)
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
