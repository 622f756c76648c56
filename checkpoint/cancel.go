package checkpoint

import (
	"context"
	"errors"
	"fmt"
)

// ErrCancelRejected is wrapped by the error SendCancels returns when the
// service rejected the request as an invalid transition: an operation to
// cancel is no longer STARTED (it completed at the service after the state
// the caller acted on). The Checkpointer stays usable: Refresh, then cancel
// what is still started.
var ErrCancelRejected = errors.New("checkpoint: the service rejected the CANCEL request")

// SendCancels makes everything enqueued durable, then sends updates, which
// must all be CANCEL updates, in a request of their own, so that a rejected
// CANCEL cannot take other updates down with it. Nothing else is sent
// meanwhile.
//
// If the service rejects the request with InvalidParameterValueException
// (CANCEL of an operation that is no longer STARTED), the error wraps
// ErrCancelRejected and the original *Error, and the Checkpointer does not
// fail: nothing of the request was applied and the token is unchanged. Any
// other failure fails the Checkpointer as a queued update's would.
func (c *Checkpointer) SendCancels(ctx context.Context, updates []OperationUpdate) error {
	if len(updates) == 0 {
		return nil
	}
	for i := range updates {
		if updates[i].Action != ActionCancel {
			return fmt.Errorf("checkpoint: SendCancels: update %d (%s) is %s, not CANCEL", i, updates[i].Id, updates[i].Action)
		}
	}
	return c.sendAlone(ctx, updates)
}

// Refresh makes everything enqueued durable, then sends an empty request (a
// poll): the token rotates and OnState receives the operations that changed
// at the service since the last response.
func (c *Checkpointer) Refresh(ctx context.Context) error {
	return c.sendAlone(ctx, nil)
}

// sendAlone sends updates (possibly none) as one request once the queue is
// empty and no request is in flight, holding c.mu so that nothing else is
// sent meanwhile.
func (c *Checkpointer) sendAlone(ctx context.Context, updates []OperationUpdate) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		switch {
		case c.closed:
			return ErrClosed
		case c.err != nil:
			return c.err
		}
		if c.sent == c.enqueued && !c.sending {
			break // the queue is empty and no request is in flight
		}
		if err := c.waitLocked(ctx, c.enqueued); err != nil {
			return err
		}
		for c.sending && c.err == nil && !c.closed {
			c.cond.Wait() // the request that sent the last updates is ending
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.sending = true
	next, err := c.send(&CheckpointInput{DurableExecutionArn: c.cfg.ExecutionARN, CheckpointToken: c.token, Updates: updates})
	c.sending = false
	if err != nil {
		if len(updates) > 0 && transitionRejected(err) {
			return fmt.Errorf("%w: %w", ErrCancelRejected, err)
		}
		c.err = err
		c.cond.Broadcast()
		return err
	}
	c.token = next
	return nil
}

// transitionRejected reports whether err is the service's terminal
// rejection of an update as invalid (HTTP 400 InvalidParameterValueException,
// not a stale token).
func transitionRejected(err error) bool {
	var ce *Error
	if !errors.As(err, &ce) || ce.Retryable || IsStaleToken(ce) {
		return false
	}
	return ce.Code == "InvalidParameterValueException"
}
