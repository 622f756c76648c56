package order_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/examples/order"
	"github.com/lambda-durable/durable/local/timeline"
)

func TestRunDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	res, err := order.RunDemo(ctx, &out, order.DemoOptions{})
	if err != nil {
		t.Fatalf("RunDemo: %v\n%s", err, out.String())
	}
	if res.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s, error %+v\n%s", res.Status, res.Error, out.String())
	}
	want := order.Receipt{
		OrderID: "1001", TotalCents: 2*3999 + 1250, Reservation: "RSV-1001", Payment: "PAY-1001-9248",
		Shipment: res.Receipt.Shipment, Status: "SHIPPED",
	}
	if res.Receipt != want || res.Receipt.Shipment.Tracking == "" {
		t.Errorf("receipt = %+v, want %+v with a tracking number", res.Receipt, want)
	}

	spans := map[string]*timeline.Span{}
	res.Timeline.Walk(func(s *timeline.Span, _ int) { spans[s.Name] = s })
	for _, name := range []string{"validate", "reserve-stock", "payment", "authorize", "capture", "fraud-review", "shipment", "notify-customer"} {
		s, ok := spans[name]
		if !ok {
			t.Errorf("the timeline has no %q", name)
			continue
		}
		if s.Status != checkpoint.StatusSucceeded {
			t.Errorf("%s is %s, want SUCCEEDED", name, s.Status)
		}
	}
	if s := spans["reserve-stock"]; s != nil && s.Attempts != 2 {
		t.Errorf("reserve-stock took %d attempts, want 2 (one failure, one retry)", s.Attempts)
	}
	if s := spans["payment"]; s != nil && len(s.Children) != 2 {
		t.Errorf("payment has %d children, want authorize and capture", len(s.Children))
	}
	if s := spans["fraud-review"]; s != nil && s.Duration(time.Time{}) != order.DefaultReviewWindow {
		t.Errorf("fraud-review took %s, want %s", s.Duration(time.Time{}), order.DefaultReviewWindow)
	}
	failed := 0
	for _, e := range res.Events {
		if e.EventType == types.EventTypeStepFailed && aws.ToString(e.Name) == "reserve-stock" {
			failed++
			if d := e.StepFailedDetails; d == nil || d.RetryDetails == nil || aws.ToInt32(d.RetryDetails.NextAttemptDelaySeconds) != 10 {
				t.Errorf("the failed reservation has no 10 s retry: %+v", d)
			}
		}
	}
	if n := countEvents(res.Events, types.EventTypeCallbackSucceeded); n != 1 {
		t.Errorf("%d CallbackSucceeded events, want 1", n)
	}
	if n := countEvents(res.Events, types.EventTypeExecutionSucceeded); n != 1 || res.Events[len(res.Events)-1].EventType != types.EventTypeExecutionSucceeded {
		t.Errorf("ExecutionSucceeded appears %d times or is not last", n)
	}
	if failed != 1 {
		t.Errorf("%d StepFailed events for reserve-stock, want 1", failed)
	}
	for _, want := range []string{"Started    arn:aws:lambda:", "Warehouse  answered the shipment-callback callback", `"tracking":"PX-000001"`, "Finished   SUCCEEDED after 1h0m10s", `Result     {"orderId":"1001"`, "reserve-stock", "└── notify-customer"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunDemoRejectsBadOrder(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	bad := order.Order{ID: "9", Items: []order.Item{{SKU: "X", Quantity: 0, PriceCents: 5}}}
	res, err := order.RunDemo(ctx, &out, order.DemoOptions{Order: &bad})
	if err != nil {
		t.Fatalf("RunDemo: %v", err)
	}
	if res.Status != types.ExecutionStatusFailed || res.Error == nil || aws.ToString(res.Error.ErrorType) != "InvalidOrder" {
		t.Fatalf("status %s, error %+v; want FAILED with InvalidOrder", res.Status, res.Error)
	}
	if !strings.Contains(aws.ToString(res.Error.ErrorMessage), `item "X": quantity 0`) {
		t.Errorf("error message %q", aws.ToString(res.Error.ErrorMessage))
	}
	if len(res.Timeline.Invocations) != 1 {
		t.Errorf("%d invocations, want 1: an invalid order is not retried", len(res.Timeline.Invocations))
	}
	if !strings.Contains(out.String(), "Error      InvalidOrder: invalid order:") {
		t.Errorf("output:\n%s", out.String())
	}
}

func countEvents(events []types.Event, typ types.EventType) int {
	n := 0
	for _, e := range events {
		if e.EventType == typ {
			n++
		}
	}
	return n
}
