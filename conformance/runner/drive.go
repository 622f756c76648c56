package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/match"
	"github.com/lambda-durable/durable/conformance/spec"
	"github.com/lambda-durable/durable/local"
)

// driver drives one execution to a terminal status.
type driver struct {
	req    *spec.Requirement
	svc    *local.Service
	clock  *local.VirtualClock
	client *lambda.Client
	arn    string

	seen      map[string]bool // callback ids already read from the history
	callbacks []*openCallback // started callbacks, in start order
	used      []bool          // req.CallbackActions entries already assigned
	pending   []scheduled     // actions not sent yet, in due order
}

// openCallback is a started callback as the driver tracks it.
type openCallback struct {
	id, name string
	last     time.Time // when its previous action is due (its start at first)
	closed   bool      // a success or failure has been assigned to it
}

// scheduled is a callback action and when it is due.
type scheduled struct {
	due        time.Time
	callbackID string
	action     spec.CallbackAction
}

// drive alternates between letting the service run and moving time on, until
// the execution reaches a terminal status. Whenever nothing runs it reads the
// history, schedules the actions of new callbacks, sends those that are due,
// and otherwise moves the virtual clock to the next timer or action.
func (d *driver) drive(ctx context.Context) error {
	for {
		if err := d.svc.WaitIdle(ctx); err != nil {
			return err
		}
		status, err := d.status(ctx)
		if err != nil {
			return err
		}
		if status.Terminal() {
			return nil
		}
		events, err := d.events(ctx)
		if err != nil {
			return err
		}
		d.schedule(events, d.clock.Now())
		if len(d.pending) > 0 && !d.pending[0].due.After(d.clock.Now()) {
			next := d.pending[0]
			d.pending = d.pending[1:]
			if err := d.send(ctx, next); err != nil {
				return err
			}
			continue
		}
		at, ok := d.svc.NextTimer()
		if len(d.pending) > 0 && (!ok || d.pending[0].due.Before(at)) {
			at, ok = d.pending[0].due, true
		}
		if !ok {
			return ErrStuck
		}
		d.clock.AdvanceTo(at)
	}
}

// schedule records the callbacks started since the last call and assigns the
// unused actions to them, as AWS's runner does: each entry of
// CallbackActions is used at most once, in file order, for the first started
// callback whose name matches and that no earlier success or failure has
// completed. A heartbeat leaves its callback open for the next entry. An
// action is due Delay after the previous action of the same callback (the
// first one Delay after the callback was seen).
func (d *driver) schedule(events []types.Event, now time.Time) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if d.used == nil {
		d.used = make([]bool, len(d.req.CallbackActions))
	}
	for _, ev := range events {
		if ev.EventType != types.EventTypeCallbackStarted || ev.CallbackStartedDetails == nil {
			continue
		}
		id := aws.ToString(ev.CallbackStartedDetails.CallbackId)
		if id == "" || d.seen[id] {
			continue
		}
		d.seen[id] = true
		d.callbacks = append(d.callbacks, &openCallback{id: id, name: aws.ToString(ev.Name), last: now})
	}
	for i, a := range d.req.CallbackActions {
		if d.used[i] {
			continue
		}
		cb := d.firstOpen(a)
		if cb == nil {
			continue
		}
		d.used[i] = true
		cb.last = cb.last.Add(a.Delay)
		cb.closed = a.Operation != spec.CallbackHeartbeat
		d.pending = append(d.pending, scheduled{due: cb.last, callbackID: cb.id, action: a})
	}
	slices.SortStableFunc(d.pending, func(a, b scheduled) int { return a.due.Compare(b.due) })
}

// firstOpen returns the first started callback that a matches and that is
// still open, or nil.
func (d *driver) firstOpen(a spec.CallbackAction) *openCallback {
	for _, cb := range d.callbacks {
		if !cb.closed && a.Matches(cb.name) {
			return cb
		}
	}
	return nil
}

// send performs one callback action through the Lambda API.
func (d *driver) send(ctx context.Context, s scheduled) error {
	var err error
	switch s.action.Operation {
	case spec.CallbackSuccess:
		_, err = d.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
			CallbackId: aws.String(s.callbackID),
			Result:     s.action.Body,
		})
	case spec.CallbackFailure:
		in := &lambda.SendDurableExecutionCallbackFailureInput{CallbackId: aws.String(s.callbackID)}
		if e := s.action.Error; e != nil {
			in.Error = &types.ErrorObject{
				ErrorType:    nonEmpty(e.ErrorType),
				ErrorMessage: nonEmpty(e.ErrorMessage),
				ErrorData:    nonEmpty(e.ErrorData),
				StackTrace:   e.StackTrace,
			}
		}
		_, err = d.client.SendDurableExecutionCallbackFailure(ctx, in)
	case spec.CallbackHeartbeat:
		_, err = d.client.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{
			CallbackId: aws.String(s.callbackID),
		})
	default:
		return fmt.Errorf("callback action %q: unknown operation", s.action.Operation)
	}
	if err != nil {
		return fmt.Errorf("callback action %s on %q: %w", s.action.Operation, s.action.CallbackName, err)
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// status reads the execution's status.
func (d *driver) status(ctx context.Context) (local.ExecutionStatus, error) {
	out, err := d.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{
		DurableExecutionArn:  aws.String(d.arn),
		IncludeExecutionData: aws.Bool(false),
	})
	if err != nil {
		return "", fmt.Errorf("GetDurableExecution: %w", err)
	}
	return local.ExecutionStatus(out.Status), nil
}

// events reads the whole history, every page.
func (d *driver) events(ctx context.Context) ([]types.Event, error) {
	var all []types.Event
	in := &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn:  aws.String(d.arn),
		IncludeExecutionData: aws.Bool(true),
		MaxItems:             1000,
	}
	for {
		out, err := d.client.GetDurableExecutionHistory(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("GetDurableExecutionHistory: %w", err)
		}
		all = append(all, out.Events...)
		if aws.ToString(out.NextMarker) == "" {
			return all, nil
		}
		in.Marker = out.NextMarker
	}
}

// observe reports the execution's outcome and history.
func (d *driver) observe(ctx context.Context) (*harness.Observation, error) {
	out, err := d.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{
		DurableExecutionArn:  aws.String(d.arn),
		IncludeExecutionData: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("GetDurableExecution: %w", err)
	}
	events, err := d.events(ctx)
	if err != nil {
		return nil, err
	}
	history, err := match.Events(events)
	if err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	obs := &harness.Observation{
		ExecutionARN: d.arn,
		Status:       string(out.Status),
		Result:       out.Result,
		History:      history,
	}
	if e := out.Error; e != nil {
		obs.Error = &spec.ErrorObject{
			ErrorType:    aws.ToString(e.ErrorType),
			ErrorMessage: aws.ToString(e.ErrorMessage),
			ErrorData:    aws.ToString(e.ErrorData),
			StackTrace:   e.StackTrace,
		}
	}
	return obs, nil
}

// firstInvocation wraps the handler to learn the execution's ARN from its
// first invocation event: a synchronous Invoke answers only when the
// execution ends, and the runner must drive it before that.
type firstInvocation struct {
	fn   harness.Function
	once sync.Once
	arn  chan string // buffered, receives one ARN
}

// Invoke implements local.Function.
func (f *firstInvocation) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	f.once.Do(func() {
		var ev struct{ DurableExecutionArn string }
		_ = json.Unmarshal(payload, &ev) // a bad event is the handler's to report
		f.arn <- ev.DurableExecutionArn
	})
	return f.fn.Invoke(ctx, payload)
}
