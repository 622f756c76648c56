// Package order is an example durable workflow, the one `go run
// ./examples/demo` and `durable demo` run: an order is validated, its stock
// is reserved (a step that fails once and is retried), it is paid for in a
// child context, it waits out a fraud-review window, the warehouse confirms
// the shipment through a callback, and the customer is notified.
//
// Workflow is the workflow itself; NewHandler wraps it as a Lambda handler
// that the local service (or Lambda) can invoke; RunDemo runs it end to end
// on an embedded local service.
package order

import (
	"fmt"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// FunctionName is the name the order workflow is registered under.
const FunctionName = "order-processor"

// DefaultReviewWindow is how long an order waits for a fraud review unless
// Order.ReviewWindowSeconds says otherwise.
const DefaultReviewWindow = time.Hour

// Order is the workflow's input.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Items    []Item `json:"items"`
	// ReviewWindowSeconds is the fraud-review wait; 0 means one hour.
	ReviewWindowSeconds int `json:"reviewWindowSeconds,omitempty"`
}

// Item is one line of an order.
type Item struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	PriceCents int    `json:"priceCents"`
}

// Shipment is what the warehouse answers on the shipment callback.
type Shipment struct {
	Carrier  string `json:"carrier"`
	Tracking string `json:"tracking"`
}

// Receipt is the workflow's result.
type Receipt struct {
	OrderID     string   `json:"orderId"`
	TotalCents  int      `json:"totalCents"`
	Reservation string   `json:"reservation"`
	Payment     string   `json:"payment"`
	Shipment    Shipment `json:"shipment"`
	Status      string   `json:"status"`
}

// InvalidOrderError is the error of an order that cannot be processed: the
// validate step fails with it, without retrying, and so does the execution.
type InvalidOrderError struct {
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *InvalidOrderError) Error() string { return "invalid order: " + e.Reason }

// ErrorType names the error in the execution's ErrorObject.
func (e *InvalidOrderError) ErrorType() string { return "InvalidOrder" }

// StockBusyError is the transient failure of the first reservation
// attempt, which the step's retry strategy absorbs.
type StockBusyError struct{}

// Error implements error.
func (StockBusyError) Error() string { return "stock service busy, try again" }

// ErrorType names the error in the step's recorded ErrorObject.
func (StockBusyError) ErrorType() string { return "StockServiceBusy" }

// Workflow processes one order.
func Workflow(ctx durable.Context, o Order) (Receipt, error) {
	log := ctx.Logger().With("order", o.ID)

	total, err := durable.Step(ctx, "validate", func(durable.StepContext) (int, error) {
		return validate(o)
	}, durable.WithRetry(retry.None())) // a bad order stays bad
	if err != nil {
		return Receipt{}, err
	}

	// The stock service is busy on the first attempt: the step fails, the
	// retry is checkpointed with its delay, and the next attempt succeeds.
	reservation, err := durable.Step(ctx, "reserve-stock", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", StockBusyError{}
		}
		return "RSV-" + o.ID, nil
	}, durable.WithRetry(retry.Fixed(3, 10*time.Second)))
	if err != nil {
		return Receipt{}, err
	}

	// Payment is two steps grouped in a child context.
	payment, err := durable.RunInChildContext(ctx, "payment", func(ctx durable.Context) (string, error) {
		auth, err := durable.Step(ctx, "authorize", func(durable.StepContext) (string, error) {
			return fmt.Sprintf("AUTH-%s-%d", o.ID, total), nil
		})
		if err != nil {
			return "", err
		}
		return durable.Step(ctx, "capture", func(durable.StepContext) (string, error) {
			return strings.Replace(auth, "AUTH", "PAY", 1), nil
		})
	})
	if err != nil {
		return Receipt{}, err
	}

	window := DefaultReviewWindow
	if o.ReviewWindowSeconds > 0 {
		window = time.Duration(o.ReviewWindowSeconds) * time.Second
	}
	if err := durable.Wait(ctx, "fraud-review", window); err != nil {
		return Receipt{}, err
	}

	shipment, err := awaitShipment(ctx, o)
	if err != nil {
		return Receipt{}, err
	}

	status, err := durable.Step(ctx, "notify-customer", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("order shipped", "customer", o.Customer, "tracking", shipment.Tracking)
		return "SHIPPED", nil
	})
	if err != nil {
		return Receipt{}, err
	}
	log.Info("order complete", "status", status)
	return Receipt{
		OrderID:     o.ID,
		TotalCents:  total,
		Reservation: reservation,
		Payment:     payment,
		Shipment:    shipment,
		Status:      status,
	}, nil
}

// validate checks an order and returns its total.
func validate(o Order) (int, error) {
	if o.ID == "" {
		return 0, &InvalidOrderError{Reason: "no id"}
	}
	if len(o.Items) == 0 {
		return 0, &InvalidOrderError{Reason: "order " + o.ID + " has no items"}
	}
	if o.ReviewWindowSeconds < 0 {
		return 0, &InvalidOrderError{Reason: "negative review window"}
	}
	total := 0
	for _, it := range o.Items {
		if it.Quantity <= 0 || it.PriceCents < 0 {
			return 0, &InvalidOrderError{Reason: fmt.Sprintf("item %q: quantity %d, price %d", it.SKU, it.Quantity, it.PriceCents)}
		}
		total += it.Quantity * it.PriceCents
	}
	return total, nil
}

// NewHandler returns the workflow as a durable Lambda handler.
func NewHandler(opts ...durable.HandlerOption) *durable.Handler {
	return durable.NewHandler(Workflow, opts...)
}

// Sample returns the order the demo processes.
func Sample() Order {
	return Order{
		ID:       "1001",
		Customer: "ada@example.com",
		Items: []Item{
			{SKU: "BOOK-GO", Quantity: 2, PriceCents: 3999},
			{SKU: "MUG", Quantity: 1, PriceCents: 1250},
		},
	}
}
