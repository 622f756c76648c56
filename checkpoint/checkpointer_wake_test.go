package checkpoint

import (
	"context"
	"errors"
	"strconv"
	"strings"
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
