package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/descriptor"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// kind is implemented by every operation kind (step.go, wait.go, child.go,
// ...). A kind embeds run and sets run.kind to itself; (*Context).run sends it
// through the pipeline.
type kind interface {
	// execute runs the operation live, or re-runs it on replay when
	// run.rerun is set.
	execute(ctx context.Context, r *run) error
	// failed builds the error returned for a recorded failure (obj may be
	// nil, e.g. for a cancelled wait).
	failed(r *run, obj *checkpoint.ErrorObject) error
	// result returns the operation's Go value (nil if none).
	result() any
	// dest returns where a recorded payload decodes (nil: nothing to decode).
	dest() any
}

// rerunner is implemented by kinds that re-run their code even when the
// record is terminal (a child context checkpointed with ReplayChildren).
type rerunner interface {
	rerun(rec *checkpoint.Operation) bool
}

// attempter is implemented by kinds with attempts (steps, wait-for-condition):
// the attempt chain ends in attempt, and runAttempts asks next what follows
// each attempt and resume what to restore from a record.
type attempter interface {
	attempt(ctx context.Context, r *run) error
	next(r *run, attempt int, err error) attemptOutcome
	resume(r *run, rec *checkpoint.Operation)
}

// run is the per-call state of an operation. The descriptor the chains
// see (desc) is bound to op and carries run as its state, so the engine's
// stages find their state through the descriptor whatever context an
// interceptor passes on.
type run struct {
	op       descriptor.Op
	desc     middleware.Operation
	scope    *Context
	kind     kind
	rec      *checkpoint.Operation
	serdes   serdes.Serdes
	rerun    bool
	strategy retry.Strategy
	started  *Event // fired by markStarted when run asynchronously (async.go)
	// virtual marks an operation that is never checkpointed (a virtual
	// child context): reaching it does not end its context's replay.
	virtual bool

	executed  bool // the chain reached executeTerminal
	suspended bool // the invocation ended while the operation waited

	attemptRan  bool // the attempt chain reached attemptTerminal
	interrupted bool // the attempt being run was interrupted (at most once)
}

// errForeignDescriptor is returned when an interceptor passes next a
// descriptor the SDK did not create.
var errForeignDescriptor error = &MisuseError{What: "next got a *middleware.Operation the SDK did not create; pass on the one received"}

// MisuseError reports a broken interceptor contract; it matches
// middleware.ErrMisuse. In the attempt chain it fails the attempt, without
// retry, and is recorded with ErrorType "MiddlewareMisuse".
type MisuseError struct {
	OperationID string // "" when unknown
	What        string
}

// Error implements error.
func (e *MisuseError) Error() string {
	if e.OperationID == "" {
		return fmt.Sprintf("durable: %v: %s", middleware.ErrMisuse, e.What)
	}
	return fmt.Sprintf("durable: operation %s: %v: %s", e.OperationID, middleware.ErrMisuse, e.What)
}

// Unwrap returns middleware.ErrMisuse.
func (e *MisuseError) Unwrap() error { return middleware.ErrMisuse }

// ErrorType names the error in the ErrorObject.
func (e *MisuseError) ErrorType() string { return "MiddlewareMisuse" }

// misuse reports a broken interceptor contract for operation id.
func misuse(id, what string) error { return &MisuseError{OperationID: id, What: what} }

// runOf returns the run a descriptor belongs to (nil for a foreign one).
func runOf(op *middleware.Operation) *run {
	if d := descriptor.Of(op); d != nil {
		r, _ := d.State.(*run)
		return r
	}
	return nil
}

// bind makes r.desc describe r.op and carry r.
func (r *run) bind() {
	r.op.State = r
	descriptor.Bind(&r.desc, &r.op)
}

// serdesContext describes the run's data to a Serdes.
func (r *run) serdesContext() serdes.Context {
	return serdes.Context{OperationID: r.op.ID, ExecutionARN: r.op.ExecutionARN}
}

// update returns an update for this operation with the given action.
func (r *run) update(a checkpoint.Action) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{
		Id: r.op.ID, ParentId: r.op.ParentID, Name: r.op.Name,
		Type: r.op.Type, SubType: r.op.SubType, Action: a,
	}
}

// run assigns the next id to r, checks it against history and sends it
// through the operation chain. r.kind, r.op.Type, SubType and Name must be
// set. It returns the operation's error.
func (c *Context) run(r *run) error {
	e := c.exec
	e.checkLive()
	if err := validateNames(r.op.Name, r.op.SubType); err != nil {
		return err
	}
	if c.closedChain() {
		return ErrContextClosed
	}
	r.scope = c
	r.bind()
	if r.serdes == nil {
		r.serdes = e.en.cfg.Serdes
	}
	r.op.ID = c.NextID()
	r.op.ParentID = c.recordID()
	r.op.ExecutionARN = e.arn
	rec := e.Operation(r.op.ID)
	if rec != nil {
		e.visit(r.op.ID)
		if rec.Type != r.op.Type || rec.SubType != r.op.SubType || rec.Name != r.op.Name {
			e.nondeterministic(&NonDeterministicExecutionError{
				OperationID: r.op.ID,
				Recorded:    OperationSignature{Type: rec.Type, SubType: rec.SubType, Name: rec.Name},
				Requested:   OperationSignature{Type: r.op.Type, SubType: r.op.SubType, Name: r.op.Name},
			})
		}
		r.rec = rec
		r.op.Status = rec.Status
		r.op.StartTime = rec.StartTimestamp.Time
		r.op.EndTime = rec.EndTimestamp.Time
		if rec.StepDetails != nil {
			r.op.Attempt = rec.StepDetails.Attempt
		}
		r.op.Replaying = rec.Status.Terminal()
		r.op.Resumed = r.op.Replaying && e.resumed(rec)
		if rr, ok := r.kind.(rerunner); ok && r.op.Replaying {
			r.rerun = rr.rerun(rec)
		}
	}
	if e.check != nil && !r.virtual { // a replayer's determinism check (replaycheck.go)
		e.checkFrontier(&OperationSignature{Type: r.op.Type, SubType: r.op.SubType, Name: r.op.Name}, r.op.ID, rec)
	}
	if !r.op.Replaying && !r.virtual {
		c.replaying.Store(false)
	}
	if r.op.StartTime.IsZero() {
		r.op.StartTime = time.Now()
	}
	return e.en.opChain(c, &r.desc)
}

// maxNameLength is the longest operation name the service accepts.
const maxNameLength = 256

// validateNames checks a name (1-256 printable ASCII, or empty) and a
// subtype (1-32 of [A-Za-z0-9_-]).
func validateNames(name, subType string) error {
	if len(name) > maxNameLength {
		return &ValidationError{Field: "name", Message: "longer than 256 characters"}
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] > 0x7e {
			return &ValidationError{Field: "name", Message: "must be printable ASCII"}
		}
	}
	if subType == "" || len(subType) > 32 {
		return &ValidationError{Field: "subtype", Message: "must be 1 to 32 characters"}
	}
	for i := 0; i < len(subType); i++ {
		b := subType[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return &ValidationError{Field: "subtype", Message: "must match [A-Za-z0-9_-]"}
		}
	}
	return nil
}

// The engine's stages. guardStage is outermost in the operation chain,
// around the user's interceptors; logStage, serdesStage, replayStage,
// commitStage and executeTerminal are innermost, in this order.

// guardStage enforces the interceptor contract once the user's chain has
// returned (settle).
func guardStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		r := runOf(op)
		return r.settle(next(ctx, op))
	}
}

// settle turns what the user's chain returned into the operation's result:
// a suspended operation parks its goroutine whatever the chain returned
// (so that no workflow code runs past a suspension point), a chain that
// never reached the operation must have returned an error, and a failure
// stays a failure.
func (r *run) settle(err error) error {
	switch {
	case r.suspended:
		r.scope.exec.park()
	case !r.executed && err == nil:
		return misuse(r.op.ID, "a middleware returned nil without calling next")
	case err == nil && r.op.Err != nil:
		return r.op.Err
	}
	return err
}

// catchPark, deferred by the terminal handlers, turns the park signal of an
// invocation that ended while the operation waited into ErrSuspended, so
// that the chain's interceptors see the suspension; other panics go on.
func (r *run) catchPark(err *error) {
	if p := recover(); p != nil {
		if _, ok := p.(parkSignal); !ok {
			panic(p)
		}
		r.suspended = true
		r.op.Err = middleware.ErrSuspended
		*err = middleware.ErrSuspended
	}
}

// stageRun returns the run of the descriptor an interceptor passed on, and
// a usable context (the scope's when the interceptor passed nil).
func stageRun(ctx context.Context, op *middleware.Operation) (context.Context, *run) {
	r := runOf(op)
	if ctx == nil && r != nil {
		ctx = r.scope
	}
	return ctx, r
}

// logStage logs each live operation's outcome at debug level.
func logStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		ctx, r := stageRun(ctx, op)
		if r == nil {
			return errForeignDescriptor
		}
		err := next(ctx, op)
		if r.op.Replaying {
			return err
		}
		if l := r.scope.exec.baseLog; l.Enabled(ctx, slog.LevelDebug) {
			logOperation(ctx, l, &r.op, err)
		}
		return err
	}
}

// logOperation writes the debug record of a live operation. It is kept out
// of logStage's closure so that the closure's frame, which sits on every
// operation goroutine's stack below the operation, stays small: the slog
// attributes are half a kilobyte of locals.
//
//go:noinline
func logOperation(ctx context.Context, l *slog.Logger, op *descriptor.Op, err error) {
	l.LogAttrs(ctx, slog.LevelDebug, "durable operation",
		slog.String(logging.KeyOperationID, op.ID), slog.String(logging.KeyOperationName, op.Name),
		slog.String("type", string(op.Type)), slog.String("status", string(op.Status)), slog.Any("error", err))
}

// serdesStage decodes a replayed payload into the kind's destination. A
// failed decode is terminal: the stored data will not change.
func serdesStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		err := next(ctx, op)
		if err != nil {
			return err
		}
		r := runOf(op)
		if !r.op.Replaying || r.rerun {
			return nil
		}
		if d := r.kind.dest(); d != nil {
			if derr := r.serdes.Deserialize(r.serdesContext(), r.op.Payload, d); derr != nil {
				r.scope.exec.abort(asSerdesError(derr, r.op.ID, serdes.OpDeserialize))
			}
			if r.scope.exec.en.exposeResult {
				r.op.Result = r.kind.result()
			}
		}
		return nil
	}
}

// liveAsReplayed makes a live result equal to what a replay will return: with a
// custom serdes (anything but the default JSON, whose round trip is the
// identity for the values workflows return) the stored payload is decoded
// back into the operation's result, so a serdes that transforms values
// cannot make the live run and the replay diverge.
func liveAsReplayed(r *run, payload string) error {
	if _, isJSON := r.serdes.(serdes.JSON); isJSON {
		return nil
	}
	d := r.kind.dest()
	if d == nil {
		return nil
	}
	if err := r.serdes.Deserialize(r.serdesContext(), payload, d); err != nil {
		return asSerdesError(err, r.op.ID, serdes.OpDeserialize)
	}
	if r.scope.exec.en.exposeResult {
		r.op.Result = r.kind.result()
	}
	return nil
}

// replayStage answers a terminal recorded operation from history.
func replayStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		r := runOf(op)
		if !r.op.Replaying || r.rerun {
			return next(ctx, op)
		}
		r.executed = true
		payload, obj := recordedOutcome(r.rec)
		r.op.Payload = payload
		if r.op.Status != checkpoint.StatusSucceeded {
			r.op.Err = r.kind.failed(r, obj)
			return r.op.Err
		}
		return nil
	}
}

// commitStage marks the operation boundary for the checkpointer: in eager
// mode the operation's updates are durable when it returns. A suspended
// operation has nothing left to commit (the invocation is over).
func commitStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		err := next(ctx, op)
		if r := runOf(op); !r.op.Replaying && !r.suspended {
			r.scope.exec.commit(ctx)
		}
		return err
	}
}

// executeTerminal runs the kind, once.
func executeTerminal(ctx context.Context, op *middleware.Operation) (err error) {
	r := runOf(op)
	if r.executed {
		return misuse(r.op.ID, "a middleware called next more than once")
	}
	r.executed = true
	defer r.catchPark(&err)
	err = r.kind.execute(ctx, r)
	r.op.Err = err
	if err == nil && r.scope.exec.en.exposeResult {
		// Boxing the value costs an allocation: only when a user
		// middleware may read it.
		r.op.Result = r.kind.result()
	}
	if r.op.EndTime.IsZero() && r.op.Status.Terminal() {
		r.op.EndTime = time.Now()
	}
	return err
}

// The attempt chain: attemptGuard, the user's attempt middlewares,
// encodeStage and attemptTerminal. runAttempts (step.go) decides what follows
// each attempt from the error the chain returns.

// attemptGuard enforces the interceptor contract in the attempt chain: an
// interceptor that did not call next must return an error, and cannot turn
// a failed attempt into a success; an attempt that found the invocation
// ended (the attempt interceptors saw ErrSuspended) parks.
func attemptGuard(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		r := runOf(op)
		err := next(ctx, op)
		switch {
		case r.suspended:
			r.scope.exec.park() // on to the operation chain's terminal
		case !r.attemptRan && err == nil:
			return misuse(r.op.ID, "an attempt middleware returned nil without calling next")
		case err == nil && r.op.Err != nil:
			return r.op.Err
		}
		return err
	}
}

// retryable reports whether a failed attempt's error may be retried: serdes
// failures, results over the payload limit and broken interceptor contracts
// are not. (Its errors.As targets escape, so it is only called once an
// attempt has failed.)
func retryable(err error) bool {
	var se *serdes.Error
	var tooLarge *PayloadTooLargeError
	return !errors.As(err, &se) && !errors.As(err, &tooLarge) && !errors.Is(err, middleware.ErrMisuse)
}

// encodeStage serializes a successful attempt's result into the payload.
func encodeStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		ctx, r := stageRun(ctx, op)
		if r == nil {
			return errForeignDescriptor
		}
		if err := next(ctx, op); err != nil {
			return err
		}
		p, err := r.serdes.Serialize(r.serdesContext(), r.op.Result)
		if err == nil {
			if limit := r.scope.exec.en.cfg.MaxPayloadBytes; len(p) > limit {
				err = &PayloadTooLargeError{OperationID: r.op.ID, Size: len(p), Limit: limit}
			}
		} else {
			err = asSerdesError(err, r.op.ID, serdes.OpSerialize)
		}
		if err == nil {
			r.op.Payload = p
			err = liveAsReplayed(r, p)
		}
		r.op.Err = err
		return err
	}
}

// attemptTerminal runs one attempt of the kind, once; an interrupted
// at-most-once attempt ends as a *StepInterruptedError without running.
func attemptTerminal(ctx context.Context, op *middleware.Operation) (err error) {
	r := runOf(op)
	if r.attemptRan {
		return misuse(r.op.ID, "an attempt middleware called next more than once")
	}
	r.attemptRan = true
	defer r.catchPark(&err) // the invocation ended before the body could run
	if r.interrupted {
		err = &StepInterruptedError{OperationID: r.op.ID, Name: r.op.Name, Attempt: r.op.Attempt}
	} else {
		err = r.kind.(attempter).attempt(ctx, r)
	}
	r.op.AttemptEnd = time.Now()
	r.op.Err = err
	return err
}

// asSerdesError makes sure err is a *serdes.Error.
func asSerdesError(err error, id, op string) error {
	var se *serdes.Error
	if errors.As(err, &se) {
		return err
	}
	return &serdes.Error{Op: op, OperationID: id, Err: err}
}

// recordedOutcome extracts the stored result payload and error of any
// operation type.
func recordedOutcome(rec *checkpoint.Operation) (string, *checkpoint.ErrorObject) {
	switch {
	case rec == nil:
		return "", nil
	case rec.StepDetails != nil:
		return rec.StepDetails.Result, rec.StepDetails.Error
	case rec.ContextDetails != nil:
		return rec.ContextDetails.Result, rec.ContextDetails.Error
	case rec.CallbackDetails != nil:
		return rec.CallbackDetails.Result, rec.CallbackDetails.Error
	case rec.ChainedInvokeDetails != nil:
		return rec.ChainedInvokeDetails.Result, rec.ChainedInvokeDetails.Error
	}
	return "", nil
}
