package engine

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// ErrCancelled is matched (errors.Is) by the error of a callback or chained
// invoke that was closed with CANCEL. A cancelled wait returns
// ErrWaitCancelled.
var ErrCancelled = errors.New("durable: operation cancelled")

// cancellableType reports whether operations of type t can be closed with
// CANCEL: waits, callbacks and chained invokes.
func cancellableType(t checkpoint.OperationType) bool {
	return t == checkpoint.TypeWait || t == checkpoint.TypeCallback || t == checkpoint.TypeChainedInvoke
}

// cancellable reports whether op is an operation the service would close
// with CANCEL: a wait, callback or chained invoke that is still STARTED.
func cancellable(op *checkpoint.Operation) bool {
	return cancellableType(op.Type) && op.Status == checkpoint.StatusStarted
}

// noteScope remembers the context a cancellable operation runs in.
func (e *Execution) noteScope(id string, c *Context) {
	e.mu.Lock()
	if e.scopes == nil {
		e.scopes = make(map[string]*Context)
	}
	e.scopes[id] = c
	e.mu.Unlock()
}

// CancelOperation closes the operation id with CANCEL if it is a wait,
// callback or chained invoke that is still started, so the execution no
// longer waits for it. The code blocked on it resumes at once with its
// cancelled outcome (ErrWaitCancelled, or an error matching ErrCancelled);
// a replay sees it CANCELLED. It reports whether the service accepted a
// CANCEL; cancelling an operation that has ended (even one that completed
// at the service just before the CANCEL arrived), or twice, does nothing.
//
// It must be called from a goroutine running durable code (the workflow or
// one started with Go).
func (e *Execution) CancelOperation(id string) bool {
	return e.cancelWhere(func(op *checkpoint.Operation) bool { return op.Id == id }) > 0
}

// CancelPending abandons c (see Abandon) and closes with CANCEL every wait,
// callback and chained invoke of c and its descendants that is still
// started. Map and parallel call it for the branches still running when the
// batch completes, so the execution does not stay pending on them. It
// returns the number of operations cancelled.
func (c *Context) CancelPending() int {
	c.Abandon()
	return c.exec.cancelWhere(func(op *checkpoint.Operation) bool { return c.containsLocked(op) })
}

// containsLocked reports whether op lies inside c or its descendants. The
// scope noted when the code reached op decides; for an operation recorded
// earlier that the code has not reached again in this invocation, the
// recorded parents decide (and, for a virtual context, which records
// nothing itself, the id prefix). c.exec.mu must be held.
func (c *Context) containsLocked(op *checkpoint.Operation) bool {
	e := c.exec
	if s := e.scopes[op.Id]; s != nil {
		for ; s != nil; s = s.parent {
			if s == c {
				return true
			}
		}
		return false
	}
	if c.virtual && !strings.HasPrefix(op.Id, c.id+"-") {
		return false
	}
	return e.descendsLocked(op, c.recordID())
}

// descendsLocked reports whether the recorded parents of op lead to the
// context whose id is ctxID ("" is the whole execution). e.mu must be held.
func (e *Execution) descendsLocked(op *checkpoint.Operation, ctxID string) bool {
	if ctxID == "" {
		return true
	}
	for p := op.ParentId; p != ""; {
		if p == ctxID {
			return true
		}
		parent := e.ops[p]
		if parent == nil {
			return false
		}
		p = parent.ParentId
	}
	return false
}

// cancelWhere closes with CANCEL every cancellable operation that match
// accepts and returns the number of operations cancelled.
//
// The CANCELs travel in a request of their own, after everything queued is
// durable, and are applied to the local state (waking the goroutines
// waiting on them) only once the service has accepted them. An operation may
// complete at the service after the state the SDK acted on (a callback
// answered, a wait or invoke done): the service then rejects the whole
// request. That rejection is harmless: the state is refreshed, the
// operations that are no longer STARTED keep their real outcome (as a replay
// will see it) and the others are cancelled again. Only a rejection that the
// refreshed state does not explain fails the invocation. enqMu is held
// throughout, so cancellations never overlap and no update of user code is
// queued meanwhile.
func (e *Execution) cancelWhere(match func(*checkpoint.Operation) bool) int {
	e.checkLive()
	// Make every START queued so far durable, so that the recorded state
	// knows every operation that may need a CANCEL (batched and optimistic
	// modes may still hold some).
	if err := e.cp.At(e.ctx, checkpoint.Cancellation); err != nil {
		e.checkpointFailed(err)
	}

	e.enqMu.Lock()
	defer e.enqMu.Unlock()
	e.checkLive()
	targets := e.cancelTargets(match)
	for len(targets) > 0 {
		err := e.cp.SendCancels(e.ctx, cancelUpdates(targets))
		if err == nil {
			e.markCancelled(targets)
			return len(targets)
		}
		if !errors.Is(err, checkpoint.ErrCancelRejected) {
			e.checkpointFailed(err)
		}
		if rerr := e.cp.Refresh(e.ctx); rerr != nil {
			e.checkpointFailed(rerr)
		}
		still := e.cancelTargets(match)
		if len(still) >= len(targets) {
			// No target has completed: the rejection is not the race.
			e.checkpointFailed(err)
		}
		targets = still
	}
	return 0
}

// cancelTargets returns the cancellable operations that match accepts,
// sorted by id.
func (e *Execution) cancelTargets(match func(*checkpoint.Operation) bool) []checkpoint.Operation {
	e.mu.Lock()
	var targets []checkpoint.Operation
	for _, op := range e.ops {
		if cancellable(op) && match(op) {
			targets = append(targets, *op)
		}
	}
	e.mu.Unlock()
	slices.SortFunc(targets, func(a, b checkpoint.Operation) int { return strings.Compare(a.Id, b.Id) })
	return targets
}

// cancelUpdates returns the CANCEL updates of targets.
func cancelUpdates(targets []checkpoint.Operation) []checkpoint.OperationUpdate {
	updates := make([]checkpoint.OperationUpdate, len(targets))
	for i := range targets {
		op := &targets[i]
		// The context of the operations may be closed already (an
		// abandoned branch): CANCEL bypasses the closed-context check on
		// purpose.
		updates[i] = checkpoint.OperationUpdate{
			Id: op.Id, ParentId: op.ParentId, Name: op.Name,
			Type: op.Type, SubType: op.SubType, Action: checkpoint.ActionCancel,
		}
	}
	return updates
}

// markCancelled records the accepted cancellation of targets in the local
// state, for those the service's response has not already shown cancelled,
// and wakes the goroutines waiting on them.
func (e *Execution) markCancelled(targets []checkpoint.Operation) {
	now := checkpoint.At(time.Now())
	var changed []checkpoint.Operation
	e.mu.Lock()
	for _, op := range targets {
		if cur := e.ops[op.Id]; cur != nil && cur.Status != checkpoint.StatusStarted {
			continue
		}
		op.Status = checkpoint.StatusCancelled
		op.EndTimestamp = now
		changed = append(changed, op)
	}
	e.mu.Unlock()
	if len(changed) > 0 {
		e.onState(&checkpoint.ExecutionState{Operations: changed})
	}
}
