package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// A checkout workflow calls a pricing function (another durable function)
// and gets its typed result; a failure of the target is an *InvokeError.
func ExampleInvoke() {
	type Cart struct {
		Items []string `json:"items"`
	}
	type Quote struct {
		Total int `json:"total"`
	}
	pricing := durable.NewHandler(func(ctx durable.Context, c Cart) (Quote, error) {
		return Quote{Total: 15 * len(c.Items)}, nil
	}, durable.WithLogHandler(slog.DiscardHandler))

	checkout := func(ctx durable.Context, c Cart) (string, error) {
		q, err := durable.Invoke[Quote](ctx, "price-cart", "pricing", c, durable.WithTenantID("shop-7"))
		var ie *durable.InvokeError
		if errors.As(err, &ie) {
			return "", fmt.Errorf("pricing %s: %w", ie.Status, err)
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d items, total %d", len(c.Items), q.Total), nil
	}

	r := durabletest.New(durable.NewHandler(checkout, durable.WithLogHandler(slog.DiscardHandler)),
		durabletest.WithFunction("pricing", pricing))
	defer r.Close()
	res, _ := r.Run(context.Background(), Cart{Items: []string{"lamp", "desk"}})
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	// Output: SUCCEEDED 2 items, total 30
}

// A target that takes no input is invoked with nil: only the result type
// is written.
func ExampleInvoke_noInput() {
	type Report struct {
		Orders int `json:"orders"`
	}
	reports := durable.NewHandler(func(ctx durable.Context, _ any) (Report, error) {
		return Report{Orders: 12}, nil
	}, durable.WithLogHandler(slog.DiscardHandler))

	workflow := func(ctx durable.Context, _ any) (int, error) {
		rep, err := durable.Invoke[Report](ctx, "daily-report", "reports", nil)
		return rep.Orders, err
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)),
		durabletest.WithFunction("reports", reports))
	defer r.Close()
	res, _ := r.Run(context.Background(), nil)
	fmt.Println(res.Status, res.Result)
	// Output: SUCCEEDED 12
}
