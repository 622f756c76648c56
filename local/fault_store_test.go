package local_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// refusingStore is a MemoryStore that refuses the saves whose number
// refuse selects, and records, for every step whose success it stores, how
// often the step's body had run by then.
type refusingStore struct {
	*local.MemoryStore
	refuse func(n int) bool
	runs   func(name string) int

	mu      sync.Mutex
	saves   int
	refused int
	acked   map[string]int // step name -> body runs when its success was stored
}

func (s *refusingStore) Save(ctx context.Context, arn string, ch *local.Change) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saves++
	if s.refuse(s.saves) {
		s.refused++
		return fmt.Errorf("write durable.db: no space left on device")
	}
	if err := s.MemoryStore.Save(ctx, arn, ch); err != nil {
		return err
	}
	for _, e := range ch.Events {
		var ev local.Event
		if err := json.Unmarshal(e.Data, &ev); err == nil && ev.EventType == local.EventStepSucceeded {
			s.acked[ev.Name] = s.runs(ev.Name)
		}
	}
	return nil
}

// TestFaultStoreWriteFails runs a workflow through the real Lambda client
// while the store refuses writes, some singly (the client's retry gets
// through) and some three in a row (the client gives up, the invocation
// fails and the service invokes again). A refused write must never be
// acknowledged: the execution ends with the right result, no step whose
// success was stored runs again, and a service started afresh on the store
// sees exactly what the first one reported.
func TestFaultStoreWriteFails(t *testing.T) {
	const steps = 30
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var mu sync.Mutex
	runs := map[string]int{}
	store := &refusingStore{
		MemoryStore: local.NewMemoryStore(),
		refuse: func(n int) bool {
			return n%6 == 4 || (n >= 20 && n <= 22) || (n >= 36 && n <= 38)
		},
		runs: func(name string) int {
			mu.Lock()
			defer mu.Unlock()
			return runs[name]
		},
		acked: map[string]int{},
	}
	svc := local.New(local.WithStore(store))
	defer svc.Close()
	srv, err := httpapi.Listen("", httpapi.NewHandler(svc))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	// The standard retryer (3 attempts), without its backoff and retry
	// quota so that the test does not sleep.
	client := httpapi.LambdaClient(srv.URL(), func(o *lambda.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 3
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			so.RateLimiter = ratelimit.None
		})
	})
	workflow := func(ctx durable.Context, _ struct{}) (string, error) {
		var b strings.Builder
		for i := range steps {
			name := fmt.Sprintf("s%02d", i)
			v, err := durable.Step(ctx, name, func(durable.StepContext) (string, error) {
				mu.Lock()
				runs[name]++
				mu.Unlock()
				return fmt.Sprint(i % 10), nil
			})
			if err != nil {
				return "", err
			}
			b.WriteString(v)
		}
		return b.String(), nil
	}
	h := durable.NewHandler(workflow, durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)))
	if err := svc.RegisterFunction("refused", h, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}

	var out *lambda.InvokeOutput
	for attempt := 0; ; attempt++ { // the start itself may be refused
		out, err = client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("refused"),
			InvocationType: types.InvocationTypeEvent, DurableExecutionName: aws.String("full-disk"), Payload: []byte(`{}`)})
		if err == nil || attempt == 5 {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	final, err := svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	want := `"` + strings.Repeat("0123456789", steps/10) + `"`
	if final.Status != local.ExecutionSucceeded || final.Result == nil || *final.Result != want {
		t.Fatalf("execution ended %s with %v (%+v), want SUCCEEDED with %s", final.Status, final.Result, final.Error, want)
	}
	store.mu.Lock()
	refused := store.refused
	for name, n := range store.acked {
		if got := store.runs(name); got != n {
			t.Errorf("step %s ran %d times, %d of them after its success was stored", name, got, got-n)
		}
	}
	if len(store.acked) != steps {
		t.Errorf("%d step successes stored, want %d", len(store.acked), steps)
	}
	store.mu.Unlock()
	if refused == 0 {
		t.Fatal("the store refused no write: the test tests nothing")
	}
	if err := svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	history, err := svc.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1000})
	if err != nil {
		t.Fatal(err)
	}

	// A service started afresh on the store sees what the first reported.
	again, err := local.Open(local.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	reloaded, err := again.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if reloaded.Status != final.Status || aws.ToString(reloaded.Result) != aws.ToString(final.Result) {
		t.Fatalf("after a restart the execution is %s with %v; it was reported %s with %v",
			reloaded.Status, aws.ToString(reloaded.Result), final.Status, aws.ToString(final.Result))
	}
	rh, err := again.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1000})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(history.Events)
	b, _ := json.Marshal(rh.Events)
	if string(a) != string(b) {
		t.Fatalf("the stored history differs from the one served before the restart:\nserved %s\nstored %s", a, b)
	}
	mu.Lock()
	t.Logf("%d of %d writes refused; step bodies ran %d times for %d steps", refused, store.saves, sum(runs), steps)
	mu.Unlock()
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
