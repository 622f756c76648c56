package checkpoint

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// throttler answers its first `throttled` requests 429 with retryAfter,
// then 200.
type throttler struct {
	mu         sync.Mutex
	requests   int
	throttled  int
	retryAfter string
}

func (th *throttler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	th.mu.Lock()
	th.requests++
	n := th.requests
	th.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n <= th.throttled {
		w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
		if th.retryAfter != "" {
			w.Header().Set("Retry-After", th.retryAfter)
		}
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"message":"Rate exceeded"}`)
		return
	}
	_, _ = io.WriteString(w, `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[]},"Operations":[]}`)
}

// A throttling answer's Retry-After is waited out (on an injected clock)
// when the invocation's remaining time allows, and not otherwise.
func TestLambdaHonoursRetryAfter(t *testing.T) {
	// The injected clock stands still at now; the deadline is a real one
	// (the context's), far enough for the test's real time.
	now := time.Now().Truncate(time.Second)
	for _, tc := range []struct {
		name       string
		throttled  int
		retryAfter string
		remaining  time.Duration // 0: no deadline
		waits      []time.Duration
		ok         bool
	}{
		{"seconds", 1, "2", time.Minute, []time.Duration{2 * time.Second}, true},
		{"http date", 2, now.Add(5 * time.Second).Format(http.TimeFormat), time.Minute, []time.Duration{5 * time.Second, 5 * time.Second}, true},
		{"beyond the remaining time", 1, "2", 2*time.Second + RetryAfterReserve/2, nil, false},
		{"no deadline", 1, "2", 0, nil, false},
		{"no header", 1, "", time.Minute, nil, false},
		{"bounded waits", 10, "1", time.Minute, []time.Duration{time.Second, time.Second, time.Second}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := &throttler{throttled: tc.throttled, retryAfter: tc.retryAfter}
			srv := httptest.NewServer(th)
			defer srv.Close()
			var waits []time.Duration
			c := &lambdaClient{
				c:     lambda.New(lambda.Options{BaseEndpoint: aws.String(srv.URL), Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1}),
				now:   func() time.Time { return now },
				sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
			}
			ctx := context.Background()
			if tc.remaining > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, now.Add(tc.remaining))
				defer cancel()
			}
			for _, run := range []func() error{
				func() error {
					_, err := c.Checkpoint(ctx, &CheckpointInput{DurableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f", CheckpointToken: "t"})
					return err
				},
			} {
				err := run()
				if (err == nil) != tc.ok {
					t.Fatalf("err %v, want ok=%v", err, tc.ok)
				}
				if err != nil && !IsRetryable(err) {
					t.Fatalf("err %v is not retryable", err)
				}
			}
			if len(waits) != len(tc.waits) {
				t.Fatalf("waits %v, want %v", waits, tc.waits)
			}
			for i := range waits {
				if d := waits[i] - tc.waits[i]; d < -time.Second || d > time.Second {
					t.Fatalf("waits %v, want %v", waits, tc.waits)
				}
			}
			if th.requests != len(waits)+1 {
				t.Fatalf("%d requests for %d waits", th.requests, len(waits))
			}
		})
	}
}
