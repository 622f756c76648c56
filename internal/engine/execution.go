package engine

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/serdes"
)

// ErrNothingPending is wrapped by the failure reported when every goroutine
// of the workflow is blocked but the service has nothing pending that could
// wake them (a deadlock in the workflow): returning PENDING would be illegal.
var ErrNothingPending = errors.New("durable: every goroutine is blocked but no operation is pending in the service (deadlock)")

// Execution is the state of one invocation of a durable execution: the
// recorded operations, the checkpointer and the scheduler of the goroutines
// that run durable code.
type Execution struct {
	en        *Engine
	ctx       context.Context
	arn       string
	requestID string
	execID    string
	input     string
	start     time.Time
	cp        *checkpoint.Checkpointer
	root      *Context
	baseLog   *slog.Logger
	check     *ReplayCheck // set when a replayer checks this invocation (replaycheck.go)

	// replayLeft counts the recorded operations not yet visited by the
	// code; once it reaches zero nothing is replaying any more.
	replayLeft atomic.Int64
	replayIDs  map[string]struct{}
	// updated lists the operations the service changed while the execution
	// was suspended (the event's UpdatedOperationIds).
	updated map[string]bool

	// live counts the goroutines started by Go that have not returned: a
	// suspending invocation waits for them to unwind (park).
	live sync.WaitGroup

	mu      sync.Mutex
	ops     map[string]*checkpoint.Operation
	waiters map[string][]chan struct{}
	running int
	ended   bool
	fatal   error
	idle    chan struct{}       // signalled when running drops to zero
	dead    chan struct{}       // closed when the invocation ends
	aborted chan struct{}       // closed on the first fatal error
	scopes  map[string]*Context // scope of each wait, callback and invoke reached (cancel.go)

	// enqMu orders closed-context checks and the end of the invocation with
	// enqueues. Lock order: enqMu before mu.
	enqMu sync.Mutex
}

// newExecution prepares the invocation of ev whose recorded operations are
// pages (the event's, then GetExecutionState's, in order).
func newExecution(ctx context.Context, en *Engine, ev *checkpoint.InvocationEvent, pages [][]checkpoint.Operation, reqID string) (*Execution, error) {
	n := 0
	for _, ops := range pages {
		n += len(ops)
	}
	e := &Execution{
		en:        en,
		ctx:       ctx,
		arn:       ev.DurableExecutionArn,
		requestID: reqID,
		ops:       make(map[string]*checkpoint.Operation, n),
		waiters:   make(map[string][]chan struct{}),
		idle:      make(chan struct{}, 1),
		dead:      make(chan struct{}),
		aborted:   make(chan struct{}),
		check:     replayCheckFrom(ctx),
	}
	for _, ops := range pages {
		for i := range ops {
			op := &ops[i]
			e.ops[op.Id] = op
			if op.Type == checkpoint.TypeExecution {
				e.execID = op.Id
				e.start = op.StartTimestamp.Time
				if op.ExecutionDetails != nil {
					e.input = op.ExecutionDetails.InputPayload
				}
			}
		}
	}
	e.replayIDs = make(map[string]struct{}, len(e.ops))
	for id, op := range e.ops {
		if op.Type != checkpoint.TypeExecution && e.replayable(op) {
			e.replayIDs[id] = struct{}{}
		}
	}
	e.replayLeft.Store(int64(len(e.replayIDs)))
	if len(ev.UpdatedOperationIds) > 0 {
		e.updated = make(map[string]bool, len(ev.UpdatedOperationIds))
		for _, id := range ev.UpdatedOperationIds {
			e.updated[id] = true
		}
	}
	replaying := len(e.replayIDs) > 0
	if e.execID == "" {
		e.execID = e.arn[strings.LastIndexByte(e.arn, '/')+1:]
	}
	if e.start.IsZero() {
		e.start = time.Now()
	}
	e.baseLog = slog.New(en.cfg.LogHandler).With(
		slog.String(logging.KeyExecutionARN, e.arn),
		slog.String(logging.KeyRequestID, e.requestID))
	cp, err := checkpoint.NewCheckpointer(ctx, checkpoint.CheckpointerConfig{
		Client:       en.client,
		ExecutionARN: e.arn,
		Token:        ev.CheckpointToken,
		Mode:         en.cfg.Mode,
		OnState:      e.onState,
		AfterFunc:    en.cfg.AfterFunc,
	})
	if err != nil {
		return nil, err
	}
	e.cp = cp
	e.root = &Context{Context: ctx, exec: e}
	e.root.replaying.Store(replaying)
	return e, nil
}

// replayable reports whether the code will visit op when it replays: every
// enclosing context is recorded and either still open or recorded with
// ReplayChildren (the children of other closed contexts are never visited).
func (e *Execution) replayable(op *checkpoint.Operation) bool { return checkpoint.InState(op, e.ops) }

// resumed reports whether the terminal record rec is an outcome the service
// produced while the execution was suspended (a wait that elapsed, a
// callback answered or timed out, a chained invoke that ended), which the
// code observes for the first time in this invocation.
func (e *Execution) resumed(rec *checkpoint.Operation) bool {
	switch rec.Type {
	case checkpoint.TypeWait, checkpoint.TypeCallback, checkpoint.TypeChainedInvoke:
		return e.updated[rec.Id] && rec.Status != checkpoint.StatusCancelled
	}
	return false
}

// visit records that the code reached operation id.
func (e *Execution) visit(id string) {
	e.mu.Lock()
	n := len(e.replayIDs)
	delete(e.replayIDs, id) // one lookup, where a test and a delete are two
	if len(e.replayIDs) < n {
		e.replayLeft.Add(-1)
	}
	e.mu.Unlock()
}

// ARN returns the execution's ARN.
func (e *Execution) ARN() string { return e.arn }

// Serdes returns the handler's serdes (input, output, operation default).
func (e *Execution) Serdes() serdes.Serdes { return e.en.cfg.Serdes }

// MaxPayloadBytes is the configured largest operation payload.
func (e *Execution) MaxPayloadBytes() int { return e.en.cfg.MaxPayloadBytes }

// Operation returns the recorded operation with id, or nil. The returned
// value must not be modified; records are replaced, never mutated.
func (e *Execution) Operation(id string) *checkpoint.Operation {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ops[id]
}

// run executes the workflow until it completes, fails or suspends.
func (e *Execution) run() (*checkpoint.InvocationResponse, error) {
	defer e.cp.Close()
	var (
		result any
		werr   error
	)
	done := e.Go(func() {
		defer func() {
			if p := recover(); p != nil && !isPark(p) {
				werr = newPanicError(p)
			}
		}()
		result, werr = e.en.cfg.Workflow(e.root)
	})
	for {
		select {
		case <-done.ch:
			if err := e.fatalErr(); err != nil {
				return e.abortResponse(err)
			}
			return e.finish(result, werr)
		case <-e.aborted:
			return e.abortResponse(e.fatalErr())
		case <-e.idle:
			if resp, err, ok := e.trySuspend(done); ok {
				return resp, err
			}
		case <-e.ctx.Done():
			e.end()
			return nil, &InvocationError{Err: e.ctx.Err()}
		}
	}
}

// trySuspend makes everything durable and, if every goroutine is still
// blocked on the service, ends the invocation PENDING.
func (e *Execution) trySuspend(done *Event) (*checkpoint.InvocationResponse, error, bool) {
	if err := e.cp.At(e.ctx, checkpoint.Suspension); err != nil {
		e.end()
		resp, ferr := failure(err)
		return resp, ferr, true
	}
	e.enqMu.Lock()
	e.mu.Lock()
	if e.running > 0 || done.fired || e.fatal != nil {
		e.mu.Unlock()
		e.enqMu.Unlock()
		return nil, nil, false
	}
	pending := false
	for _, op := range e.ops {
		if isPending(op) {
			pending = true
			break
		}
	}
	e.endLocked()
	e.mu.Unlock()
	e.enqMu.Unlock()
	if !pending {
		resp, err := failure(ErrNothingPending)
		return resp, err, true
	}
	e.awaitUnwind()
	return &checkpoint.InvocationResponse{Status: checkpoint.InvocationPending}, nil, true
}

// awaitUnwind waits until every goroutine parked by the suspension has
// unwound, so that the interceptors of the suspended operations have run
// (they see middleware.ErrSuspended) before the invocation returns, or until
// the invocation's context is done. e.enqMu must not be held: unwinding
// goroutines may still take it.
func (e *Execution) awaitUnwind() {
	unwound := make(chan struct{})
	go func() {
		e.live.Wait()
		close(unwound)
	}()
	select {
	case <-unwound:
	case <-e.ctx.Done():
	}
}

// isPending reports whether the service will change op by itself (a timer,
// a callback, a chained invoke), which makes a PENDING response legal.
func isPending(op *checkpoint.Operation) bool {
	switch op.Type {
	case checkpoint.TypeStep:
		return op.Status == checkpoint.StatusPending
	case checkpoint.TypeWait, checkpoint.TypeCallback, checkpoint.TypeChainedInvoke:
		return op.Status == checkpoint.StatusStarted
	}
	return false
}

// finish builds the response for a workflow that returned.
func (e *Execution) finish(result any, werr error) (*checkpoint.InvocationResponse, error) {
	e.end()
	if werr != nil {
		return e.fail(werr)
	}
	payload, err := e.en.cfg.Serdes.Serialize(serdes.Context{ExecutionARN: e.arn}, result)
	if err != nil {
		return e.fail(err)
	}
	if len(payload) > e.en.cfg.MaxResponseBytes {
		err := e.cp.Enqueue(checkpoint.OperationUpdate{
			Id: e.execID, Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed, Payload: payload,
		})
		if err == nil {
			err = e.cp.At(e.ctx, checkpoint.InvocationEnd)
		}
		if err != nil {
			return failure(err)
		}
		return &checkpoint.InvocationResponse{Status: checkpoint.InvocationSucceeded}, nil
	}
	if err := e.cp.At(e.ctx, checkpoint.InvocationEnd); err != nil {
		return failure(err)
	}
	return &checkpoint.InvocationResponse{Status: checkpoint.InvocationSucceeded, Result: payload}, nil
}

// fail ends the execution FAILED with err after making what was recorded
// durable. An error too large for the response is checkpointed through an
// EXECUTION FAIL update and the response carries a shortened copy.
func (e *Execution) fail(werr error) (*checkpoint.InvocationResponse, error) {
	obj := ErrorObjectOf(werr)
	resp := &checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed, Error: &obj}
	var err error
	if b, _ := json.Marshal(resp); len(b) > e.en.cfg.MaxResponseBytes {
		err = e.cp.Enqueue(checkpoint.OperationUpdate{
			Id: e.execID, Type: checkpoint.TypeExecution, Action: checkpoint.ActionFail, Error: &obj,
		})
		short := checkpoint.ErrorObject{ErrorType: truncate(obj.ErrorType, 256), ErrorMessage: truncate(obj.ErrorMessage, 4096)}
		resp.Error = &short
	}
	if err == nil {
		err = e.cp.At(e.ctx, checkpoint.InvocationEnd)
	}
	if err != nil {
		return failure(err)
	}
	return resp, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// abortResponse ends the invocation after a fatal error (checkpoint failure,
// non-determinism, failed deserialization, panic in a goroutine).
func (e *Execution) abortResponse(err error) (*checkpoint.InvocationResponse, error) {
	e.end()
	return failure(err)
}

func (e *Execution) fatalErr() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fatal
}

// abort records a fatal error and stops the calling goroutine; the
// invocation ends with that error.
func (e *Execution) abort(err error) {
	e.setFatal(err)
	runtime.Goexit()
}

func (e *Execution) setFatal(err error) {
	e.mu.Lock()
	if e.fatal == nil && !e.ended {
		e.fatal = err
		close(e.aborted)
	}
	e.mu.Unlock()
}

// end marks the invocation over: blocked goroutines exit and no further
// update is accepted from user code.
func (e *Execution) end() {
	e.enqMu.Lock()
	e.mu.Lock()
	e.endLocked()
	e.mu.Unlock()
	e.enqMu.Unlock()
}

// endLocked is end with e.enqMu and e.mu held (in that order: holding
// enqMu guarantees no update of user code is being queued meanwhile).
func (e *Execution) endLocked() {
	if !e.ended {
		e.ended = true
		close(e.dead)
	}
}

// parkSignal is the panic value with which a goroutine of durable code
// unwinds once the invocation has ended (park).
type parkSignal struct{}

func isPark(p any) bool {
	_, ok := p.(parkSignal)
	return ok
}

// park unwinds the calling goroutine because the invocation has ended (it
// suspended, or completed while this goroutine waited). It panics with
// parkSignal: the terminal handler of each enclosing operation recovers it,
// so that the operation's interceptors see next return
// middleware.ErrSuspended, and guardStage panics again once they have
// returned; Go and the workflow's goroutine end quietly on it. A workflow
// that recovers the signal cannot record anything: every later update is
// refused because the invocation has ended, and the next durable call parks
// again.
func (e *Execution) park() { panic(parkSignal{}) }

// checkLive parks the calling goroutine if the invocation has ended.
func (e *Execution) checkLive() {
	e.mu.Lock()
	ended := e.ended
	e.mu.Unlock()
	if ended {
		e.park()
	}
}

// checkpointFailed handles an error from the checkpointer in a goroutine
// running durable code: it ends the invocation with that error.
func (e *Execution) checkpointFailed(err error) {
	if errors.Is(err, checkpoint.ErrClosed) {
		e.park()
	}
	e.abort(err)
}

// enqueue queues updates from scope c, refusing them (ErrContextClosed) if c
// or an ancestor is closed.
func (e *Execution) enqueue(c *Context, updates ...checkpoint.OperationUpdate) error {
	e.enqMu.Lock()
	defer e.enqMu.Unlock()
	e.checkLive()
	if c.closedChain() {
		return ErrContextClosed
	}
	if err := e.cp.Enqueue(updates...); err != nil {
		e.checkpointFailed(err) // exits the goroutine; the deferred Unlock runs
	}
	return nil
}

// closeScope closes child and queues its completion update atomically, so
// that no update of child can follow it.
func (e *Execution) closeScope(child *Context, update checkpoint.OperationUpdate) error {
	e.enqMu.Lock()
	defer e.enqMu.Unlock()
	e.checkLive()
	if child.closedChain() { // abandoned, or inside a closed context
		child.closed.Store(true)
		return ErrContextClosed
	}
	child.closed.Store(true)
	if err := e.cp.Enqueue(update); err != nil {
		e.checkpointFailed(err) // exits the goroutine; the deferred Unlock runs
	}
	return nil
}

// checkpoint queues updates from scope c (refusing them, ErrContextClosed,
// if c or an ancestor is closed) and reports point pt to the Checkpointer,
// which returns as the mode's policy requires at pt: at once, or once
// everything queued is durable. It is how the engine hands the
// Checkpointer its work at each point of checkpoint.Point.
func (e *Execution) checkpoint(ctx context.Context, c *Context, pt checkpoint.Point, updates ...checkpoint.OperationUpdate) error {
	if len(updates) > 0 {
		if err := e.enqueue(c, updates...); err != nil {
			return err
		}
	}
	if err := e.cp.At(ctx, pt); err != nil {
		e.checkpointFailed(err)
	}
	return nil
}

// commit reports the Outcome point: an operation ended (eager: waits until
// durable).
func (e *Execution) commit(ctx context.Context) {
	if err := e.cp.At(ctx, checkpoint.Outcome); err != nil {
		e.checkpointFailed(err)
	}
}
