package faultinject_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
)

// TestHTTPTimeoutAndCrashes drives the wire faults that act on the client:
// a request timed out through Transport, and the invocation killed before
// and after the service saw its request.
func TestHTTPTimeoutAndCrashes(t *testing.T) {
	var served atomic.Int32
	backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"CheckpointToken":"next"}`))
	})
	inj := faultinject.New(
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 1, Kind: faultinject.Timeout},
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 2, Kind: faultinject.Crash},
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 3, Kind: faultinject.CrashAfterApply},
	)
	srv := httptest.NewServer(inj.HTTP(backend))
	defer srv.Close()
	client := &http.Client{Transport: inj.Transport(nil)}
	post := func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/2025-12-01/durable-executions/arn%3Ax/checkpoint",
			strings.NewReader(`{"CheckpointToken":"t","Updates":[]}`))
		if err != nil {
			return err
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		return res.Body.Close()
	}

	err := post(context.Background())
	var ne net.Error
	if !errors.Is(err, faultinject.ErrTimedOut) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() || served.Load() != 0 {
		t.Fatalf("timeout: %v, served %d", err, served.Load())
	}

	fn := inj.Function(local.FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		err := post(ctx)
		if !faultinject.Killed(ctx) || err == nil {
			t.Errorf("the request returned %v, killed %v", err, faultinject.Killed(ctx))
		}
		return []byte(`"ok"`), nil
	}))
	event := []byte(`{"DurableExecutionArn":"arn:x","CheckpointToken":"t"}`)
	for i, wantServed := range []int32{0, 1} {
		if _, err := fn.Invoke(context.Background(), event); !errors.Is(err, local.ErrRuntimeExit) || served.Load() != wantServed {
			t.Fatalf("crash %d: %v, served %d", i+1, err, served.Load())
		}
	}
	if inj.Crashes() != 2 || inj.Err() != nil {
		t.Fatalf("%d crashes, problems %v", inj.Crashes(), inj.Err())
	}

	// Without a live invocation or without Transport, the fault cannot be
	// delivered: the service answers 500 and Err says why.
	for _, k := range []faultinject.Kind{faultinject.Crash, faultinject.Timeout} {
		inj := faultinject.New(faultinject.Rule{Kind: k, At: 1})
		srv := httptest.NewServer(inj.HTTP(backend))
		res, err := http.Post(srv.URL+"/2025-12-01/durable-executions/arn%3Ax/checkpoint", "application/json", strings.NewReader(`{}`))
		if err != nil || res.StatusCode != http.StatusInternalServerError || inj.Err() == nil {
			t.Errorf("%s undeliverable: %v %v, problems %v", k, err, res, inj.Err())
		}
		if res != nil {
			res.Body.Close()
		}
		srv.Close()
	}
}
