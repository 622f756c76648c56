package ops

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
// a replay sees it CANCELLED. It reports whether a CANCEL was queued;
// cancelling an operation that has ended, or twice, does nothing.
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

// cancelWhere queues a CANCEL for every cancellable operation that match
// accepts, applies the cancellation to the local state at once (which wakes
// the goroutines waiting on them and keeps a second CANCEL from being sent)
// and commits. It returns the number of operations cancelled.
func (e *Execution) cancelWhere(match func(*checkpoint.Operation) bool) int {
	e.checkLive()
	// Make every START queued so far durable, so that the recorded state
	// knows every operation that may need a CANCEL (batched and optimistic
	// modes may still hold some).
	e.sync(e.ctx)

	e.enqMu.Lock()
	e.mu.Lock()
	var targets []checkpoint.Operation
	for _, op := range e.ops {
		if cancellable(op) && match(op) {
			targets = append(targets, *op)
		}
	}
	e.mu.Unlock()
	if len(targets) == 0 {
		e.enqMu.Unlock()
		return 0
	}
	slices.SortFunc(targets, func(a, b checkpoint.Operation) int {
		switch {
		case a.Id < b.Id:
			return -1
		case a.Id > b.Id:
			return 1
		}
		return 0
	})
	updates := make([]checkpoint.OperationUpdate, len(targets))
	now := checkpoint.At(time.Now())
	for i := range targets {
		op := &targets[i]
		updates[i] = checkpoint.OperationUpdate{
			Id: op.Id, ParentId: op.ParentId, Name: op.Name,
			Type: op.Type, SubType: op.SubType, Action: checkpoint.ActionCancel,
		}
		op.Status = checkpoint.StatusCancelled
		op.EndTimestamp = now
	}
	// The context of the operations may be closed already (an abandoned
	// branch): CANCEL bypasses the closed-context check on purpose.
	err := e.cp.Enqueue(updates...)
	if err == nil {
		e.onState(&checkpoint.ExecutionState{Operations: targets})
	}
	e.enqMu.Unlock()
	if err != nil {
		e.checkpointFailed(err)
	}
	e.commit(e.ctx)
	return len(targets)
}
