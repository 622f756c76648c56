package order

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
	"github.com/lambda-durable/durable/local/timeline"
)

// DemoOptions tunes RunDemo. The zero value runs the sample order.
type DemoOptions struct {
	// Order is the order to process; nil means Sample().
	Order *Order
	// Logger receives the workflow's own logs; nil discards them.
	Logger *slog.Logger
	// Width is the width of the timeline's Gantt bars (0: 40).
	Width int
	// PollInterval is how often the demo, acting as the warehouse, looks
	// for an open callback (0: 2 ms of real time).
	PollInterval time.Duration
}

// DemoResult is what RunDemo observed.
type DemoResult struct {
	// ExecutionARN names the execution.
	ExecutionARN string
	// Status is the execution's final status.
	Status types.ExecutionStatus
	// Receipt is the workflow's result (zero unless it succeeded).
	Receipt Receipt
	// Error is the execution's error when it did not succeed.
	Error *types.ErrorObject
	// Events is the execution's history.
	Events []types.Event
	// Timeline is the history laid out in time.
	Timeline *timeline.Timeline
}

// ErrDemo is wrapped by the errors of RunDemo that are not the workflow's.
var ErrDemo = errors.New("order demo")

// RunDemo runs the order workflow end to end on an embedded local durable
// execution service and writes a narration, the result and the timeline to
// w. The service listens on 127.0.0.1 on a free port and runs on a virtual
// clock that skips ahead whenever the workflow waits on a timer, so the hour
// of fraud review takes no real time. The workflow checkpoints, and the demo
// starts it, reads it and answers its callback, through the aws-sdk-go-v2
// Lambda client: the same wire path as on AWS. The demo plays the warehouse:
// it watches the history for the shipment callback and answers it.
func RunDemo(ctx context.Context, w io.Writer, opts DemoOptions) (*DemoResult, error) {
	o := Sample()
	if opts.Order != nil {
		o = *opts.Order
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Width == 0 {
		opts.Width = 40
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 2 * time.Millisecond
	}
	input, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("%w: encoding the order: %w", ErrDemo, err)
	}

	clock := local.NewVirtualClock(time.Time{})
	svc := local.New(local.WithClock(clock), local.WithTimeSkipping(local.SkipUnlessCallbacksOpen))
	defer svc.Close()
	srv, err := httpapi.Listen("", httpapi.NewHandler(svc))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDemo, err)
	}
	defer srv.Close()
	client := httpapi.LambdaClient(srv.URL())
	handler := NewHandler(durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)), durable.WithLogHandler(opts.Logger.Handler()))
	if err := svc.RegisterFunction(FunctionName, handler, local.WithoutContextClient()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDemo, err)
	}
	fmt.Fprintf(w, "Local durable execution service on %s (virtual clock with time skipping)\n", srv.URL())

	began := time.Now()
	out, err := client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:         aws.String(FunctionName),
		InvocationType:       types.InvocationTypeEvent,
		DurableExecutionName: aws.String("order-" + o.ID),
		Payload:              input,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: starting the execution: %w", ErrDemo, err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	fmt.Fprintf(w, "Started    %s\n", arn)

	wh := warehouse{client: client, arn: arn, w: w, answered: map[string]bool{}}
	exec, events, err := wh.run(ctx, opts.PollInterval)
	if err != nil {
		return nil, err
	}
	res := &DemoResult{ExecutionARN: arn, Status: exec.Status, Error: exec.Error, Events: events}
	if res.Timeline, err = timeline.FromLambdaHistory(events); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDemo, err)
	}
	res.Timeline.Status = string(exec.Status)

	start, end := aws.ToTime(exec.StartTimestamp), aws.ToTime(exec.EndTimestamp)
	fmt.Fprintf(w, "Finished   %s after %s of workflow time (%s of real time)\n",
		exec.Status, end.Sub(start).Round(time.Second), time.Since(began).Round(time.Millisecond))
	if exec.Status == types.ExecutionStatusSucceeded {
		if err := json.Unmarshal([]byte(aws.ToString(exec.Result)), &res.Receipt); err != nil {
			return nil, fmt.Errorf("%w: reading the result %q: %w", ErrDemo, aws.ToString(exec.Result), err)
		}
		fmt.Fprintf(w, "Result     %s\n", aws.ToString(exec.Result))
	} else if exec.Error != nil {
		fmt.Fprintf(w, "Error      %s: %s\n", aws.ToString(exec.Error.ErrorType), aws.ToString(exec.Error.ErrorMessage))
	}
	fmt.Fprintln(w)
	if err := res.Timeline.WriteText(w, timeline.TextOptions{Width: opts.Width}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDemo, err)
	}
	return res, nil
}

// warehouse is the external system of the demo: it answers the callbacks
// the execution opens.
type warehouse struct {
	client   *lambda.Client
	arn      string
	w        io.Writer
	answered map[string]bool
}

// run polls the execution until it ends, answering each callback that
// opens, and returns the final description and the whole history.
func (wh *warehouse) run(ctx context.Context, every time.Duration) (*lambda.GetDurableExecutionOutput, []types.Event, error) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		exec, err := wh.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String(wh.arn)})
		if err != nil {
			return nil, nil, fmt.Errorf("%w: reading the execution: %w", ErrDemo, err)
		}
		events, err := timeline.LambdaHistory(ctx, wh.client, wh.arn)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: reading the history: %w", ErrDemo, err)
		}
		if exec.Status != types.ExecutionStatusRunning {
			return exec, events, nil
		}
		if err := wh.answer(ctx, events); err != nil {
			return nil, nil, err
		}
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("%w: %w", ErrDemo, ctx.Err())
		case <-tick.C:
		}
	}
}

// answer confirms the shipment on every open callback not answered yet.
func (wh *warehouse) answer(ctx context.Context, events []types.Event) error {
	for _, cb := range timeline.OpenCallbacks(events) {
		if wh.answered[cb.CallbackId] {
			continue
		}
		body, _ := json.Marshal(Shipment{Carrier: "Parcel Express", Tracking: fmt.Sprintf("PX-%06d", len(wh.answered)+1)}) // strings only
		if _, err := wh.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
			CallbackId: aws.String(cb.CallbackId),
			Result:     body,
		}); err != nil {
			return fmt.Errorf("%w: answering callback %s: %w", ErrDemo, cb.CallbackId, err)
		}
		wh.answered[cb.CallbackId] = true
		fmt.Fprintf(wh.w, "Warehouse  answered the %s callback with %s\n", cb.Label(), body)
	}
	return nil
}
