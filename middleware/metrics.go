package middleware

import (
	"context"
	"sync/atomic"

	"github.com/lambda-durable/durable/checkpoint"
)

// Metrics counts what a durable handler does. Install its three middlewares
// (Operation, Attempt, Checkpoint), or pass it to durable.WithMetrics which
// places them. All counters are atomic; a Metrics may be shared by several
// handlers. The zero value is ready to use.
type Metrics struct {
	operations       atomic.Int64
	replays          atomic.Int64
	failures         atomic.Int64
	suspensions      atomic.Int64
	attempts         atomic.Int64
	attemptFailures  atomic.Int64
	checkpointCalls  atomic.Int64
	checkpointErrors atomic.Int64
	stateCalls       atomic.Int64
	updates          atomic.Int64
	bytes            atomic.Int64
}

// MetricsSnapshot is a copy of the counters at one moment.
type MetricsSnapshot struct {
	// Operations counts operations seen, replayed or live.
	Operations int64
	// Replays counts operations whose outcome came from recorded history.
	Replays int64
	// Failures counts operations that ended with an error.
	Failures int64
	// Suspensions counts operations the invocation suspended in (next
	// returned ErrSuspended); they are not failures.
	Suspensions int64
	// Attempts counts live step attempts.
	Attempts int64
	// AttemptFailures counts attempts that returned an error.
	AttemptFailures int64
	// CheckpointCalls counts CheckpointDurableExecution calls.
	CheckpointCalls int64
	// CheckpointErrors counts failed service calls (checkpoint or state).
	CheckpointErrors int64
	// StateCalls counts GetDurableExecutionState calls.
	StateCalls int64
	// Updates counts operation updates sent.
	Updates int64
	// Bytes counts the payload and error bytes of the updates sent.
	Bytes int64
}

// Snapshot returns the current counters.
func (m *Metrics) Snapshot() MetricsSnapshot {
	return MetricsSnapshot{
		Operations:       m.operations.Load(),
		Replays:          m.replays.Load(),
		Failures:         m.failures.Load(),
		Suspensions:      m.suspensions.Load(),
		Attempts:         m.attempts.Load(),
		AttemptFailures:  m.attemptFailures.Load(),
		CheckpointCalls:  m.checkpointCalls.Load(),
		CheckpointErrors: m.checkpointErrors.Load(),
		StateCalls:       m.stateCalls.Load(),
		Updates:          m.updates.Load(),
		Bytes:            m.bytes.Load(),
	}
}

// Operation returns the middleware that counts operations, replays and
// failures. Install it in the operation chain.
func (m *Metrics) Operation() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, op *Operation) error {
			m.operations.Add(1)
			err := next(ctx, op)
			if op.Spec().Replaying {
				m.replays.Add(1)
			}
			switch {
			case op.Suspended():
				m.suspensions.Add(1)
			case err != nil:
				m.failures.Add(1)
			}
			return err
		}
	}
}

// Attempt returns the middleware that counts live attempts and their
// failures. Install it in the attempt chain.
func (m *Metrics) Attempt() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, op *Operation) error {
			m.attempts.Add(1)
			err := next(ctx, op)
			if err != nil {
				m.attemptFailures.Add(1)
			}
			return err
		}
	}
}

// Checkpoint returns the middleware that counts service calls, updates and
// bytes. Install it in the checkpoint chain.
func (m *Metrics) Checkpoint() CheckpointMiddleware {
	return func(next checkpoint.Client) checkpoint.Client {
		return &metricsClient{m: m, next: next}
	}
}

type metricsClient struct {
	m    *Metrics
	next checkpoint.Client
}

func (c *metricsClient) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	c.m.checkpointCalls.Add(1)
	c.m.updates.Add(int64(len(in.Updates)))
	var n int64
	for i := range in.Updates {
		n += int64(UpdateBytes(&in.Updates[i]))
	}
	c.m.bytes.Add(n)
	out, err := c.next.Checkpoint(ctx, in)
	if err != nil {
		c.m.checkpointErrors.Add(1)
	}
	return out, err
}

func (c *metricsClient) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	c.m.stateCalls.Add(1)
	out, err := c.next.GetExecutionState(ctx, in)
	if err != nil {
		c.m.checkpointErrors.Add(1)
	}
	return out, err
}

// UpdateBytes is the number of payload and error bytes an update carries.
func UpdateBytes(u *checkpoint.OperationUpdate) int {
	n := len(u.Payload)
	if e := u.Error; e != nil {
		n += len(e.ErrorType) + len(e.ErrorMessage) + len(e.ErrorData)
		for _, s := range e.StackTrace {
			n += len(s)
		}
	}
	return n
}
