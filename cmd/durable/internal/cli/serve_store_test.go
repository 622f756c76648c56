package cli

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/examples/order"
	"github.com/lambda-durable/durable/local"
)

// TestServeReportsStoreErrors makes the database refuse writes under a
// running `durable serve -db` and checks that the call is answered with a
// retryable ServiceException, nothing is recorded, and serve's output says
// why.
func TestServeReportsStoreErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := serveInBackground(t, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "durable.db"))
	defer b.stop(t)
	if err := b.srv.store.Close(); err != nil { // every write now fails
		t.Fatal(err)
	}
	_, err := b.srv.svc.StartExecution(ctx, local.StartInput{FunctionName: order.FunctionName, Input: []byte(orderInput), Async: true})
	if !errors.Is(err, local.ErrService) {
		t.Fatalf("start with a failing store: %v, want a ServiceException", err)
	}
	if n := len(b.srv.svc.Executions()); n != 0 {
		t.Fatalf("a start the store refused left %d executions", n)
	}
	if out := b.out.String(); !strings.Contains(out, "saving an execution failed") || !strings.Contains(out, "store is closed") {
		t.Fatalf("serve's output does not report the failed write:\n%s", out)
	}
}
