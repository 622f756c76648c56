package cli

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/examples/order"
	"github.com/lambda-durable/durable/local"
)

// TestExportReplays exports an order while it waits for its callback and
// once it has ended: both recordings replay against the order workflow and
// not against another one.
func TestExportReplays(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv := testServer(t, true)
	handler := order.NewHandler(durable.WithLogHandler(slog.DiscardHandler))
	other := durable.NewHandler(func(ctx durable.Context, in json.RawMessage) (string, error) {
		return durable.Step(ctx, "something-else", func(durable.StepContext) (string, error) { return "", nil })
	}, durable.WithLogHandler(slog.DiscardHandler))

	stdout, _ := cli(t, srv, 0, "start", order.FunctionName, "-input", orderInput)
	arn := strings.TrimSpace(stdout)
	id := openCallback(ctx, t, srv, arn)

	export := func(want local.ExecutionStatus) *durabletest.Recording {
		t.Helper()
		stdout, _ := cli(t, srv, 0, "export", arn)
		rec, err := durabletest.ParseRecording([]byte(stdout))
		if err != nil {
			t.Fatalf("export output: %v\n%s", err, stdout)
		}
		if rec.DurableExecutionArn != arn || rec.Status != want || rec.Operations[0].ExecutionDetails.InputPayload != orderInput {
			t.Fatalf("export: %s %s, input %q; want %s %s", rec.DurableExecutionArn, rec.Status, rec.Operations[0].ExecutionDetails.InputPayload, arn, want)
		}
		if err := durabletest.Replay(ctx, handler, rec); err != nil {
			t.Errorf("replay of the %s order: %v", want, err)
		}
		var nd *durable.NonDeterministicExecutionError
		if err := durabletest.Replay(ctx, other, rec); !errors.As(err, &nd) || nd.OperationID != "1" || nd.Requested.Name != "something-else" {
			t.Errorf("replay of the %s order against another workflow: %v", want, err)
		}
		return rec
	}
	export(local.ExecutionRunning)
	cli(t, srv, 0, "callback", "succeed", id, shipment)
	if _, err := srv.svc.WaitForCompletion(ctx, arn); err != nil {
		t.Fatal(err)
	}
	if rec := export(local.ExecutionSucceeded); !strings.Contains(rec.Result, `"tracking":"TP-1"`) {
		t.Errorf("exported result %q", rec.Result)
	}

	unknown := strings.Replace(arn, "/durable-execution/", "/durable-execution/x", 1)
	if _, stderr := cli(t, srv, 1, "export", unknown); !strings.Contains(stderr, "ResourceNotFoundException") {
		t.Errorf("export of an unknown execution: stderr %q", stderr)
	}
}
