package order_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/examples/order"
	"github.com/lambda-durable/durable/local"
)

var quiet = durable.WithLogHandler(slog.DiscardHandler)

// runUntilShipment runs the sample order in process until it waits for the
// warehouse and returns the runner and the open callback.
func runUntilShipment(t *testing.T) (*durabletest.Runner, local.OpenCallback) {
	t.Helper()
	r := durabletest.New(order.NewHandler(quiet))
	t.Cleanup(func() { _ = r.Close() })
	res, err := r.Run(context.Background(), order.Sample())
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionRunning {
		t.Fatalf("status %s %+v, want RUNNING (waiting for the warehouse)", res.Status, res.Error)
	}
	cbs := r.OpenCallbacks()
	if len(cbs) != 1 {
		t.Fatalf("%d open callbacks, want the shipment one", len(cbs))
	}
	return r, cbs[0]
}

func TestWorkflowShipped(t *testing.T) {
	ctx := context.Background()
	r, cb := runUntilShipment(t)
	if op, ok := r.Operation("reserve-stock"); !ok || op.StepDetails == nil || op.StepDetails.Attempt != 2 {
		t.Errorf("reserve-stock = %+v, want SUCCEEDED on attempt 2", op)
	}
	if err := r.SendCallbackSuccess(ctx, cb.CallbackId, []byte(`{"carrier":"C","tracking":"T"}`)); err != nil {
		t.Fatal(err)
	}
	res, err := r.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got order.Receipt
	if err := res.Decode(&got); err != nil {
		t.Fatalf("%v (%+v)", err, res.Error)
	}
	if got.Shipment != (order.Shipment{Carrier: "C", Tracking: "T"}) || got.Status != "SHIPPED" || got.TotalCents != 9248 {
		t.Errorf("receipt = %+v", got)
	}
}

func TestWorkflowShipmentTimesOut(t *testing.T) {
	r, _ := runUntilShipment(t)
	r.Advance(order.ShipmentTimeout)
	res, err := r.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorType != durable.ErrorTypeCallbackTimeout {
		t.Errorf("after %s: %s %+v, want FAILED with %s", order.ShipmentTimeout, res.Status, res.Error, durable.ErrorTypeCallbackTimeout)
	}
}

func TestWorkflowShipmentRefused(t *testing.T) {
	ctx := context.Background()
	r, cb := runUntilShipment(t)
	if err := r.SendCallbackFailure(ctx, cb.CallbackId, checkpoint.ErrorObject{ErrorType: "OutOfStock", ErrorMessage: "no mugs"}); err != nil {
		t.Fatal(err)
	}
	res, err := r.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorMessage != "no mugs" {
		t.Errorf("%s %+v, want FAILED with the warehouse's error", res.Status, res.Error)
	}
}

func TestValidate(t *testing.T) {
	for _, o := range []order.Order{
		{},
		{ID: "1"},
		{ID: "1", Items: []order.Item{{SKU: "A", Quantity: 1, PriceCents: -1}}},
		{ID: "1", Items: []order.Item{{SKU: "A", Quantity: 1}}, ReviewWindowSeconds: -5},
	} {
		r := durabletest.New(order.NewHandler(quiet))
		res, err := r.Run(context.Background(), o)
		_ = r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorType != "InvalidOrder" {
			t.Errorf("order %+v: %s %+v, want FAILED InvalidOrder", o, res.Status, res.Error)
		}
	}
	var e error = &order.InvalidOrderError{Reason: "x"}
	if target := (*order.InvalidOrderError)(nil); !errors.As(e, &target) || target.Error() != "invalid order: x" {
		t.Errorf("InvalidOrderError: %v", e)
	}
}

// The workflow runs in process on the durabletest runner: Run skips the
// retry delay and the review window and stops at the shipment callback,
// which the test answers as the warehouse would.
func ExampleWorkflow() {
	ctx := context.Background()
	r := durabletest.New(order.NewHandler(quiet))
	defer r.Close()

	res, _ := r.Run(ctx, order.Sample())
	fmt.Println(res.Status, len(r.OpenCallbacks()), "open callback")

	cb := r.OpenCallbacks()[0]
	_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte(`{"carrier":"Parcel Express","tracking":"PX-1"}`))
	res, _ = r.Resume(ctx)
	var receipt order.Receipt
	_ = res.Decode(&receipt)
	fmt.Println(res.Status, receipt.Status, receipt.Shipment.Tracking)
	// Output:
	// RUNNING 1 open callback
	// SUCCEEDED SHIPPED PX-1
}
