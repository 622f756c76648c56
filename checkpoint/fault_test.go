package checkpoint_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
)

// inInvocation runs body inside an invocation of an execution of the local
// service, with the invocation's ARN, token and in-process client wrapped
// by inj, and returns body's error.
func inInvocation(t *testing.T, inj *faultinject.Injector, body func(ctx context.Context, arn, token string, c checkpoint.Client) error) error {
	t.Helper()
	svc := local.New(local.WithManualInvocations(), local.WithAPIHook(inj.Hook()))
	defer svc.Close()
	var bodyErr error
	fn := local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev checkpoint.InvocationEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		c, _ := checkpoint.ClientFromContext(ctx)
		bodyErr = body(ctx, ev.DurableExecutionArn, ev.CheckpointToken, inj.Client(c))
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	})
	if err := svc.RegisterFunction("fn", fn); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "fn", Async: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.RunNextInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	return bodyErr
}

// TestFaultConcurrentCommits has many goroutines commit step updates at
// once through one Checkpointer, in every mode, against the local service:
// every update is recorded once, each goroutine's updates in its order,
// in requests that respect the batch limits. With a throttled call in the
// middle, every waiting goroutine gets the retryable error and none hangs.
func TestFaultConcurrentCommits(t *testing.T) {
	const goroutines, steps = 32, 6
	modes := map[string]checkpoint.Mode{"eager": checkpoint.Eager{}, "batched": checkpoint.Batched{MaxUpdates: 7}, "optimistic": checkpoint.Optimistic{}}
	for name, mode := range modes {
		for _, faulty := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/fault=%v", name, faulty), func(t *testing.T) {
				var rules []faultinject.Rule
				if faulty {
					rules = append(rules, faultinject.Rule{Op: faultinject.OpCheckpoint, At: 3, Kind: faultinject.Throttle})
				}
				inj := faultinject.New(rules...)
				var errs []error
				err := inInvocation(t, inj, func(ctx context.Context, arn, token string, c checkpoint.Client) error {
					cp, err := checkpoint.NewCheckpointer(ctx, checkpoint.CheckpointerConfig{
						Client: c, ExecutionARN: arn, Token: token, Mode: mode, MaxBatchUpdates: 10})
					if err != nil {
						return err
					}
					defer cp.Close()
					var mu sync.Mutex
					var wg sync.WaitGroup
					for g := 0; g < goroutines; g++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for i := 0; i < steps; i++ {
								id := fmt.Sprintf("g%d-s%d", g, i)
								err := cp.Commit(ctx,
									checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionStart},
									checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionSucceed, Payload: "1"})
								if err != nil {
									mu.Lock()
									errs = append(errs, err)
									mu.Unlock()
									return
								}
							}
						}()
					}
					wg.Wait()
					syncCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
					defer cancel()
					return cp.Sync(syncCtx)
				})
				if inj.Err() != nil {
					t.Fatal(inj.Err())
				}
				if faulty {
					if !checkpoint.IsRetryable(err) || errors.Is(err, context.DeadlineExceeded) {
						t.Fatalf("Sync after a throttled call: %v", err)
					}
					for _, e := range errs {
						if !checkpoint.IsRetryable(e) {
							t.Fatalf("a goroutine got %v", e)
						}
					}
					return
				}
				if err != nil || len(errs) > 0 {
					t.Fatalf("Sync %v, goroutines %v", err, errs)
				}
				checkUpdates(t, inj.Updates(), goroutines, steps)
				if n := inj.Calls(faultinject.OpCheckpoint); n < goroutines*steps*2/10 {
					t.Fatalf("%d requests for %d updates of at most 10", n, goroutines*steps*2)
				}
			})
		}
	}
}

// checkUpdates checks that every step was started then succeeded once, and
// each goroutine's steps in order.
func checkUpdates(t *testing.T, ups []checkpoint.OperationUpdate, goroutines, steps int) {
	t.Helper()
	if len(ups) != goroutines*steps*2 {
		t.Fatalf("%d updates sent, want %d", len(ups), goroutines*steps*2)
	}
	next := map[int]int{} // goroutine -> next update index (2 per step)
	for _, u := range ups {
		var g, i int
		if _, err := fmt.Sscanf(u.Id, "g%d-s%d", &g, &i); err != nil {
			t.Fatalf("update %+v", u)
		}
		want := checkpoint.ActionStart
		if next[g]%2 == 1 {
			want = checkpoint.ActionSucceed
		}
		if next[g]/2 != i || u.Action != want {
			t.Fatalf("goroutine %d: got %s of step %d, want %s of step %d", g, u.Action, i, want, next[g]/2)
		}
		next[g]++
	}
}
