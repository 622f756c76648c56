package local

import (
	"context"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// present reports whether the service still knows the execution.
func present(t *testing.T, s *Service, arn string) bool {
	t.Helper()
	_, err := s.GetExecution(context.Background(), &GetExecutionInput{DurableExecutionArn: arn})
	return err == nil
}

// TestRetentionEvictsOnVirtualClock checks that an ended execution is
// evicted from memory and store when its retention period has passed on
// the service's virtual clock (the function's own period first, else the
// service's), that a running one never is, and that a restarted service
// evicts what expired while it was down.
func TestRetentionEvictsOnVirtualClock(t *testing.T) {
	store := NewMemoryStore()
	clk := NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	v := newEnv(t, WithClock(clk), WithStore(store), WithRetention(48*time.Hour), WithTimeSkipping(SkipNever))
	v.register("short", echoFn(), WithRetentionPeriod(24*time.Hour))
	v.register("long", echoFn())
	v.register("waiting", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, ok := f.op("cb"); !ok {
			f.must(callbackStart("cb", "forever", 0, 0))
		}
		return pending()
	}))
	short, out := v.run("short", `"a"`)
	if out.DurableConfig == nil || out.DurableConfig.RetentionPeriodInDays != 1 {
		t.Fatalf("DurableConfig = %+v, want RetentionPeriodInDays 1", out.DurableConfig)
	}
	long, _ := v.run("long", `"b"`)
	running, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "waiting", Async: true, Timeout: 300 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	v.idle()

	clk.Advance(24*time.Hour - time.Second)
	if !present(t, v.svc, short) || !present(t, v.svc, long) {
		t.Fatal("an execution was evicted before its retention period ended")
	}
	clk.Advance(time.Second)
	if present(t, v.svc, short) {
		t.Fatal("the execution of a function with a one-day retention is kept after a day")
	}
	if !present(t, v.svc, long) {
		t.Fatal("the execution with the service's two-day retention was evicted after a day")
	}
	if n := store.Len(); n != 2 {
		t.Fatalf("the store keeps %d executions, want 2 (the evicted one is deleted)", n)
	}
	clk.Advance(24 * time.Hour)
	if present(t, v.svc, long) {
		t.Fatal("the execution is kept after the service's two-day retention")
	}
	clk.Advance(100 * 24 * time.Hour)
	if !present(t, v.svc, running) {
		t.Fatal("a running execution was evicted")
	}
	if got := v.svc.Executions(); len(got) != 1 || got[0].DurableExecutionArn != running {
		t.Fatalf("executions = %+v, want only the running one", got)
	}
	wantStoreAgrees(t, v.svc, store)

	// An execution that ended before a restart and expired during it is
	// evicted when the store is loaded.
	ended, _ := v.run("short", `"c"`)
	_ = v.svc.Close()
	clk.Advance(25 * time.Hour)
	s2 := New(WithClock(clk), WithStore(store))
	defer s2.Close()
	if present(t, s2, ended) {
		t.Fatal("an execution that expired while the service was down is kept")
	}
	if !present(t, s2, running) {
		t.Fatal("the running execution did not survive the restart")
	}
	wantStoreAgrees(t, s2, store)
}

// TestMaxExecutionsEvictsOldestEnded checks the cap: starting an execution
// beyond it evicts the oldest ended executions, never a running one.
func TestMaxExecutionsEvictsOldestEnded(t *testing.T) {
	store := NewMemoryStore()
	v := newEnv(t, WithStore(store), WithMaxExecutions(3), WithTimeSkipping(SkipNever))
	v.register("echo", echoFn())
	v.register("waiting", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if _, ok := f.op("cb"); !ok {
			f.must(callbackStart("cb", "forever", 0, 0))
		}
		return pending()
	}))
	running := v.start("waiting", "")
	var ended []string
	for range 5 {
		arn, _ := v.run("echo", `"x"`)
		ended = append(ended, arn)
	}
	v.idle()
	got := map[string]bool{}
	for _, e := range v.svc.Executions() {
		got[e.DurableExecutionArn] = true
	}
	if len(got) != 3 || !got[running] || !got[ended[3]] || !got[ended[4]] {
		t.Fatalf("kept %v; want the running execution and the two newest ended ones", got)
	}
	if n := store.Len(); n != 3 {
		t.Fatalf("the store keeps %d executions, want 3", n)
	}
	wantStoreAgrees(t, v.svc, store)
}

// TestEvictionRetriedWhenStoreRefuses checks that an execution the store
// cannot delete stays (memory and store keep agreeing) and is evicted a
// minute later once the store works.
func TestEvictionRetriedWhenStoreRefuses(t *testing.T) {
	store := &flakyStore{MemoryStore: NewMemoryStore()}
	clk := NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	v := newEnv(t, WithClock(clk), WithStore(store), WithRetention(time.Hour), WithTimeSkipping(SkipNever))
	v.register("echo", echoFn())
	arn, _ := v.run("echo", `"x"`)
	v.idle()
	store.setFailing(true)
	clk.Advance(time.Hour)
	if !present(t, v.svc, arn) {
		t.Fatal("an execution the store could not delete was dropped from memory")
	}
	store.setFailing(false)
	wantStoreAgrees(t, v.svc, store)
	clk.Advance(time.Minute)
	if present(t, v.svc, arn) || store.Len() != 0 {
		t.Fatal("the eviction was not retried")
	}
}
