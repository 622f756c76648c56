package checkpoint

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// onceFailClient fails the next Checkpoint call with fail, then behaves like
// its recClient.
type onceFailClient struct {
	*recClient
	mu   sync.Mutex
	fail error
}

func (c *onceFailClient) Checkpoint(ctx context.Context, in *CheckpointInput) (*CheckpointOutput, error) {
	c.mu.Lock()
	err := c.fail
	c.fail = nil
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.recClient.Checkpoint(ctx, in)
}

func (c *onceFailClient) failNext(err error) {
	c.mu.Lock()
	c.fail = err
	c.mu.Unlock()
}

func cancelOf(id string) OperationUpdate {
	return OperationUpdate{Id: id, Type: TypeCallback, SubType: "Callback", Action: ActionCancel}
}

func TestSendCancelsTravelAlone(t *testing.T) {
	c := &onceFailClient{recClient: &recClient{}}
	cp, _ := newCP(t, c, Optimistic{})
	ctx := context.Background()
	if err := cp.Enqueue(step("1", ActionStart), step("2", ActionStart)); err != nil {
		t.Fatal(err)
	}
	if err := cp.SendCancels(ctx, []OperationUpdate{cancelOf("c1"), cancelOf("c2")}); err != nil {
		t.Fatal(err)
	}
	if got := ids(c.requests()); got != "1S,2S | c1C,c2C" {
		t.Fatalf("requests %q: the queue must be durable first and the CANCELs alone", got)
	}
	if err := cp.SendCancels(ctx, []OperationUpdate{cancelOf("c3"), step("3", ActionStart)}); err == nil {
		t.Fatal("a non-CANCEL update was accepted")
	}
}

func TestSendCancelsRejectionIsNotSticky(t *testing.T) {
	c := &onceFailClient{recClient: &recClient{}}
	cp, seen := newCP(t, c, Eager{})
	ctx := context.Background()
	if err := cp.Commit(ctx, step("1", ActionStart)); err != nil {
		t.Fatal(err)
	}
	rejection := &Error{Operation: "CheckpointDurableExecution", Code: "InvalidParameterValueException",
		StatusCode: 400, Message: "cannot CANCEL a CALLBACK that is SUCCEEDED"}
	c.failNext(rejection)
	err := cp.SendCancels(ctx, []OperationUpdate{cancelOf("c1")})
	var ce *Error
	if !errors.Is(err, ErrCancelRejected) || !errors.As(err, &ce) || ce != rejection {
		t.Fatalf("err = %v, want ErrCancelRejected wrapping the service's error", err)
	}
	if cp.Err() != nil {
		t.Fatalf("the checkpointer failed: %v", cp.Err())
	}
	if err := cp.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cp.Commit(ctx, step("2", ActionStart)); err != nil {
		t.Fatal(err)
	}
	if got := ids(c.requests()); got != "1S |  | 2S" {
		t.Fatalf("requests %q, want the poll between the updates", got)
	}
	c.mu.Lock()
	tokens := append([]string(nil), c.tokens...)
	c.mu.Unlock()
	if want := []string{"t0", "t1", "t2"}; len(tokens) != 3 || tokens[1] != want[1] || tokens[2] != want[2] {
		t.Fatalf("tokens %q, want %q: the rejected request must not consume the token", tokens, want)
	}
	if len(*seen) == 0 {
		t.Fatal("OnState never called")
	}

	// Any other failure fails the checkpointer as usual.
	c.failNext(&Error{Operation: "CheckpointDurableExecution", StatusCode: 500, Retryable: true})
	if err := cp.SendCancels(ctx, []OperationUpdate{cancelOf("c2")}); !IsRetryable(err) || errors.Is(err, ErrCancelRejected) {
		t.Fatalf("err = %v", err)
	}
	if !IsRetryable(cp.Err()) {
		t.Fatalf("Err() = %v, want the sticky failure", cp.Err())
	}
}
