package checkpoint

import (
	"context"
	"errors"
	"testing"
)

type ctxKey struct{}

// A commit blocked behind a request that does not return must still end
// when its context ends: through the Checkpointer's own wake-up when the
// context is done together with the Checkpointer's, through its own
// registration otherwise.
func TestWaitersWakeWhenTheirContextEnds(t *testing.T) {
	for _, shared := range []bool{true, false} {
		c := &recClient{block: make(chan struct{}), entered: make(chan struct{}, 1)}
		ctx, cancel := context.WithCancel(context.Background())
		cp, err := NewCheckpointer(ctx, CheckpointerConfig{Client: c, ExecutionARN: "arn", Token: "t0"})
		if err != nil {
			t.Fatal(err)
		}
		waitCtx, cancelWait := context.WithValue(ctx, ctxKey{}, 1), cancel
		if !shared {
			waitCtx, cancelWait = context.WithCancel(context.Background())
		}
		errc := make(chan error, 1)
		go func() { errc <- cp.Commit(waitCtx, step("1", ActionStart)) }()
		<-c.entered // the request is in flight; the client ignores its context
		cancelWait()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("shared=%v: Commit returned %v, want context.Canceled", shared, err)
		}
		close(c.block)
		cp.Close()
		cancel()
	}
}
