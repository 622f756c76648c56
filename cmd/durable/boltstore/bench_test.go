package boltstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// stepsRig is the SDK's real path: the local service behind its HTTP front
// on loopback, and a durable handler checkpointing through the
// aws-sdk-go-v2 Lambda client.
type stepsRig struct {
	svc    *local.Service
	srv    *httpapi.Server
	client *lambda.Client
	n      int // executions started, for unique names
}

// stepsWorkflow runs the number of steps its input asks for, each
// returning its index, and returns their sum.
func stepsWorkflow(ctx durable.Context, steps int) (int, error) {
	sum := 0
	for i := range steps {
		v, err := durable.Step(ctx, "s", func(durable.StepContext) (int, error) { return i, nil })
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

func newStepsRig(tb testing.TB, store local.Store) *stepsRig {
	tb.Helper()
	r := &stepsRig{svc: local.New(local.WithStore(store))}
	var err error
	if r.srv, err = httpapi.Listen("", httpapi.NewHandler(r.svc)); err != nil {
		tb.Fatal(err)
	}
	r.client = httpapi.LambdaClient(r.srv.URL())
	h := durable.NewHandler(stepsWorkflow, durable.WithCheckpointClient(checkpoint.NewLambdaClient(r.client)))
	if err := r.svc.RegisterFunction("steps", h, local.WithoutContextClient()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		// A connection the client opened but never used holds Shutdown for
		// 5 s; nothing is in flight here, so do not wait for it.
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = r.srv.Shutdown(ctx)
		_ = r.svc.Close()
	})
	return r
}

// run starts executions of steps steps each over the HTTP API, all at
// once, and waits until every one has succeeded with the right sum.
func (r *stepsRig) run(tb testing.TB, executions, steps int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	want := fmt.Sprint(steps * (steps - 1) / 2)
	errs := make(chan error, executions)
	var wg sync.WaitGroup
	for range executions {
		r.n++
		name := fmt.Sprintf("run-%d", r.n)
		wg.Go(func() {
			out, err := r.client.Invoke(ctx, &lambda.InvokeInput{
				FunctionName: aws.String("steps"), InvocationType: types.InvocationTypeEvent,
				DurableExecutionName: aws.String(name), Payload: fmt.Append(nil, steps),
			})
			if err != nil {
				errs <- err
				return
			}
			got, err := r.svc.WaitForCompletion(ctx, aws.ToString(out.DurableExecutionArn))
			switch {
			case err != nil:
				errs <- err
			case got.Status != local.ExecutionSucceeded || got.Result == nil || *got.Result != want:
				errs <- fmt.Errorf("%s ended %s with %v (error %+v), want SUCCEEDED with %s", name, got.Status, got.Result, got.Error, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// benchStores are the stores compared: memory, bbolt as `durable serve
// -db` opens it (an fsync per save), and bbolt without fsync.
var benchStores = []struct {
	name string
	open func(tb testing.TB) local.Store
}{
	{"memory", func(testing.TB) local.Store { return local.NewMemoryStore() }},
	{"bbolt", func(tb testing.TB) local.Store { return openBench(tb) }},
	{"bbolt-nosync", func(tb testing.TB) local.Store { return openBench(tb, boltstore.WithoutSync()) }},
}

func openBench(tb testing.TB, opts ...boltstore.Option) local.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(tb.TempDir(), "bench.db"), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkHTTPSteps measures steps per second over the real HTTP API:
// one execution of 100, 1,000 and 3,000 steps (the time per step should
// not grow with the execution) and 50 concurrent executions of 50 steps,
// on each store. Run:
//
//	cd cmd/durable && go test -run '^$' -bench HTTPSteps -benchtime 3x ./boltstore
func BenchmarkHTTPSteps(b *testing.B) {
	shapes := []struct{ executions, steps int }{{1, 100}, {1, 1000}, {1, 3000}, {50, 50}}
	for _, st := range benchStores {
		for _, sh := range shapes {
			b.Run(fmt.Sprintf("%s/%dx%d", st.name, sh.executions, sh.steps), func(b *testing.B) {
				rig := newStepsRig(b, st.open(b))
				start := time.Now()
				for b.Loop() {
					rig.run(b, sh.executions, sh.steps)
				}
				total := float64(b.N * sh.executions * sh.steps)
				elapsed := time.Since(start)
				b.ReportMetric(total/elapsed.Seconds(), "steps/s")
				b.ReportMetric(float64(elapsed.Microseconds())/total, "µs/step")
			})
		}
	}
}

// TestHTTPStepsSmoke runs the benchmark's workloads at a tiny size on each
// store, so that CI covers them.
func TestHTTPStepsSmoke(t *testing.T) {
	for _, st := range benchStores {
		t.Run(st.name, func(t *testing.T) {
			rig := newStepsRig(t, st.open(t))
			rig.run(t, 1, 20)
			rig.run(t, 4, 5)
		})
	}
}
