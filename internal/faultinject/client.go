package faultinject

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"reflect"
	"sync/atomic"
	"syscall"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

// ErrNotDelivered is recorded (see Injector.Err) and returned when a
// service-side fault was chosen but the service never asked Hook for it.
var ErrNotDelivered = errors.New("faultinject: the service did not deliver the fault (install Injector.Hook with local.WithAPIHook)")

// Client wraps next so that the calls the rules select fail.
func (in *Injector) Client(next checkpoint.Client) checkpoint.Client {
	return &client{in: in, next: next}
}

// Middleware is Client as a checkpoint middleware, for
// durable.WithCheckpointMiddleware.
func (in *Injector) Middleware() middleware.CheckpointMiddleware {
	return in.Client
}

type client struct {
	in   *Injector
	next checkpoint.Client
}

// delivery asks Hook to fail the call it travels with.
type delivery struct {
	op        string
	kind      Kind
	delivered atomic.Bool
}

type deliveryKey struct{}

// Hook returns the hook to install in the local service
// (local.WithAPIHook): it fails the calls that Client chose for a
// service-side fault with that fault's *local.APIError.
func (in *Injector) Hook() func(ctx context.Context, op, resource string) error {
	return func(ctx context.Context, op, _ string) error {
		d, ok := ctx.Value(deliveryKey{}).(*delivery)
		if !ok || d.op != op || d.delivered.Swap(true) {
			return nil
		}
		return d.kind.APIError()
	}
}

func (c *client) Checkpoint(ctx context.Context, input *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	const op = OpCheckpoint
	if err := deadCall(ctx, op); err != nil {
		return nil, err
	}
	k, ok := c.in.decide(op, input)
	if !ok {
		return c.next.Checkpoint(ctx, input)
	}
	switch k {
	case LostResponse, LostResponseRetried:
		cp := *input
		if cp.ClientToken == "" {
			cp.ClientToken = newClientToken()
		}
		first, err := c.next.Checkpoint(ctx, &cp)
		if err != nil {
			return nil, err // the call failed by itself: nothing was lost
		}
		if k == LostResponse {
			return nil, transportError(op, k)
		}
		again, err := c.next.Checkpoint(ctx, &cp)
		if err == nil && !reflect.DeepEqual(first, again) {
			c.in.problem(fmt.Errorf("faultinject: %s retried with client token %s was answered differently:\nfirst  %+v\nretry  %+v",
				op, cp.ClientToken, first, again))
		}
		return again, err
	case NoToken:
		out, err := c.next.Checkpoint(ctx, input)
		if err != nil {
			return nil, err
		}
		cp := *out
		cp.CheckpointToken = ""
		return &cp, nil
	}
	return faulted(ctx, c.in, op, k, func(ctx context.Context) (*checkpoint.CheckpointOutput, error) {
		return c.next.Checkpoint(ctx, input)
	})
}

func (c *client) GetExecutionState(ctx context.Context, input *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	const op = OpGetState
	if err := deadCall(ctx, op); err != nil {
		return nil, err
	}
	k, ok := c.in.decide(op, nil)
	if !ok {
		return c.next.GetExecutionState(ctx, input)
	}
	switch k {
	case LostResponse, LostResponseRetried, NoToken:
		// A read changes nothing: a lost answer is a transport failure,
		// and a missing token does not apply.
		if k == NoToken {
			return c.next.GetExecutionState(ctx, input)
		}
		if _, err := c.next.GetExecutionState(ctx, input); err != nil {
			return nil, err
		}
		if k == LostResponseRetried {
			return c.next.GetExecutionState(ctx, input)
		}
		return nil, transportError(op, k)
	}
	return faulted(ctx, c.in, op, k, func(ctx context.Context) (*checkpoint.ExecutionState, error) {
		return c.next.GetExecutionState(ctx, input)
	})
}

// faulted injects the faults common to both operations.
func faulted[T any](ctx context.Context, in *Injector, op string, k Kind, send func(context.Context) (T, error)) (T, error) {
	var zero T
	switch k {
	case NetworkReset, Timeout:
		return zero, transportError(op, k)
	case Crash:
		if !Kill(ctx) {
			err := fmt.Errorf("faultinject: %s: %w", k, ErrNoKillSwitch)
			in.problem(err)
			return zero, err
		}
		return zero, deadCall(ctx, op)
	case CrashAfterApply:
		v, err := send(ctx)
		if !Kill(ctx) {
			in.problem(fmt.Errorf("faultinject: %s: %w", k, ErrNoKillSwitch))
			return v, err
		}
		return zero, deadCall(ctx, op)
	}
	if k.APIError() == nil {
		err := fmt.Errorf("faultinject: fault %d is unknown", int(k))
		in.problem(err)
		return zero, err
	}
	d := &delivery{op: op, kind: k}
	v, err := send(context.WithValue(ctx, deliveryKey{}, d))
	if !d.delivered.Load() {
		err := fmt.Errorf("%s %s: %w", op, k, ErrNotDelivered)
		in.problem(err)
		return zero, err
	}
	return v, err
}

// transportError is what the Lambda adapter reports when no answer arrives:
// a retryable *checkpoint.Error without a status.
func transportError(op string, k Kind) error {
	var cause error = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	if k == Timeout {
		cause = context.DeadlineExceeded
	}
	return &checkpoint.Error{Operation: op, Retryable: true,
		Err: fmt.Errorf("%w (%s): %w", ErrInjected, k, cause)}
}

func newClientToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
