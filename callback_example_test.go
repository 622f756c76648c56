package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// A workflow hands a callback's id to a warehouse, then waits (suspended,
// at no cost) for the warehouse to answer with a tracking number.
func ExampleCreateCallback() {
	workflow := func(ctx durable.Context, orderID string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "shipment", durable.WithCallbackTimeout(12*time.Hour))
		if err != nil {
			return "", err
		}
		// Tell the warehouse in a step, so it is told once.
		if _, err := durable.Step(ctx, "notify-warehouse", func(sc durable.StepContext) (string, error) {
			sc.Logger().Info("ship order", "order", orderID, "callbackId", cb.ID())
			return "sent", nil
		}); err != nil {
			return "", err
		}
		tracking, err := cb.Get()
		var timeout *durable.CallbackTimeoutError
		if errors.As(err, &timeout) {
			return orderID + ": the warehouse never answered", nil
		}
		if err != nil {
			return "", err
		}
		return orderID + " shipped: " + tracking, nil
	}

	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	ctx := context.Background()
	res, _ := r.Run(ctx, "o-17")
	fmt.Println(res.Status) // suspended on the callback

	// The warehouse answers with the callback id
	// (SendDurableExecutionCallbackSuccess).
	cb, _ := r.Callback("shipment")
	_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("TRACK-42"))
	res, _ = r.Resume(ctx)
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	// Output:
	// RUNNING
	// SUCCEEDED o-17 shipped: TRACK-42
}

// WaitForCallback creates the callback and runs the submitter as a step in
// one operation. Here the answer is JSON, decoded into a struct.
func ExampleWaitForCallback() {
	type Decision struct {
		Approved bool   `json:"approved"`
		By       string `json:"by"`
	}
	outbox := make(chan string, 1) // stands for an email or a queue
	workflow := func(ctx durable.Context, amount int) (string, error) {
		d, err := durable.WaitForCallback[Decision](ctx, "manager-approval",
			func(sc durable.StepContext, callbackID string) error {
				outbox <- callbackID // e.g. a link in an email
				return nil
			},
			durable.WithCallbackTimeout(24*time.Hour),
			durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(3, 10*time.Second))))
		if err != nil {
			return "", err
		}
		if !d.Approved {
			return "rejected by " + d.By, nil
		}
		return fmt.Sprintf("%d approved by %s", amount, d.By), nil
	}

	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	ctx := context.Background()
	res, _ := r.Run(ctx, 1200)
	fmt.Println(res.Status)

	select {
	case id := <-outbox:
		_ = r.SendCallbackSuccess(ctx, id, []byte(`{"approved": true, "by": "alice"}`))
	default:
		fmt.Println("nothing was submitted")
		return
	}
	res, _ = r.Resume(ctx)
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	// Output:
	// RUNNING
	// SUCCEEDED 1200 approved by alice
}

// WaitForCallbackAsync bounds an approval by a durable timeout: whichever
// ends first wins the Race, and the loser is cancelled.
func ExampleWaitForCallbackAsync() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		approval := durable.WaitForCallbackAsync[string](ctx, "approval",
			func(sc durable.StepContext, callbackID string) error {
				return nil // hand callbackID to the approver here
			})
		timeout := durable.WaitAsync(ctx, "approval-timeout", time.Hour)
		winner, v, err := durable.Race(ctx, "approval-or-timeout", approval.Untyped(), timeout.Untyped())
		if err != nil {
			return "", err
		}
		if winner == 1 {
			_, err := approval.Get()
			return fmt.Sprintf("timed out (approval cancelled: %v)", errors.Is(err, durable.ErrCancelled)), nil
		}
		return fmt.Sprint("approved: ", v), nil
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	ctx := context.Background()
	_, _ = r.Run(ctx, nil) // the callback is open: time stands still
	r.Advance(time.Hour)
	res, _ := r.Resume(ctx)
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	// Output: SUCCEEDED timed out (approval cancelled: true)
}

// csvList decodes a comma-separated answer. A callback's result is only
// decoded, so a Deserialize method is all it needs.
type csvList struct{}

func (csvList) Deserialize(_ serdes.Context, data string, into any) error {
	p, ok := into.(*[]string)
	if !ok {
		return fmt.Errorf("csvList decodes into *[]string, not %T", into)
	}
	*p = strings.Split(data, ",")
	return nil
}

// WithResultSerdes decodes a callback's answer with a decode-only serdes.
func ExampleWithResultSerdes() {
	workflow := func(ctx durable.Context, _ any) (int, error) {
		cb, err := durable.CreateCallback[[]string](ctx, "approvers", durable.WithResultSerdes(csvList{}))
		if err != nil {
			return 0, err
		}
		names, err := cb.Get()
		return len(names), err
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	ctx := context.Background()
	_, _ = r.Run(ctx, nil)
	cb, _ := r.Callback("approvers")
	_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("alice,bob,carol"))
	res, _ := r.Resume(ctx)
	fmt.Println(res.Status, res.Result)
	// Output: SUCCEEDED 3
}
