package engine

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
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

// attempter is implemented by kinds with attempts (steps); the attempt chain
// ends in attempt.
type attempter interface {
	attempt(ctx context.Context, r *run) error
}

// run is the per-call state of an operation. It is also the context.Context
// passed down the chains, so the engine's stages find it (runOf) even when a
// user middleware wraps the context.
type run struct {
	context.Context
	op       middleware.Operation
	scope    *Context
	kind     kind
	rec      *checkpoint.Operation
	serdes   serdes.Serdes
	rerun    bool
	strategy retry.Strategy
	decision retry.Decision
	started  *Event // fired by markStarted when run asynchronously (async.go)
	// virtual marks an operation that is never checkpointed (a virtual
	// child context): reaching it does not end its context's replay.
	virtual bool
}

type runKey struct{}

// Value returns the run for the engine's key, else defers to the parent.
func (r *run) Value(key any) any {
	if key == (runKey{}) {
		return r
	}
	return r.Context.Value(key)
}

func runOf(ctx context.Context) *run {
	r, _ := ctx.Value(runKey{}).(*run)
	return r
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
	if r.Context == nil {
		r.Context = c
	}
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
	return e.en.opChain(r, &r.op)
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

// The engine's own stages, placed innermost in the operation chain in this
// order: logStage, serdesStage, replayStage, commitStage, executeTerminal.

// logStage logs each live operation's outcome at debug level.
func logStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		err := next(ctx, op)
		if op.Replaying {
			return err
		}
		if l := runOf(ctx).scope.exec.baseLog; l.Enabled(ctx, slog.LevelDebug) {
			logOperation(ctx, l, op, err)
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
func logOperation(ctx context.Context, l *slog.Logger, op *middleware.Operation, err error) {
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
		r := runOf(ctx)
		if !op.Replaying || r.rerun {
			return nil
		}
		if d := r.kind.dest(); d != nil {
			if derr := r.serdes.Deserialize(r.serdesContext(), op.Payload, d); derr != nil {
				r.scope.exec.abort(asSerdesError(derr, op.ID, serdes.OpDeserialize))
			}
			if r.scope.exec.en.exposeResult {
				op.Result = r.kind.result()
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
func liveAsReplayed(r *run, op *middleware.Operation, payload string) error {
	if _, isJSON := r.serdes.(serdes.JSON); isJSON {
		return nil
	}
	d := r.kind.dest()
	if d == nil {
		return nil
	}
	if err := r.serdes.Deserialize(r.serdesContext(), payload, d); err != nil {
		return asSerdesError(err, op.ID, serdes.OpDeserialize)
	}
	if r.scope.exec.en.exposeResult {
		op.Result = r.kind.result()
	}
	return nil
}

// replayStage answers a terminal recorded operation from history.
func replayStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		r := runOf(ctx)
		if !op.Replaying || r.rerun {
			return next(ctx, op)
		}
		payload, obj := recordedOutcome(r.rec)
		op.Payload = payload
		if op.Status != checkpoint.StatusSucceeded {
			op.Err = r.kind.failed(r, obj)
			return op.Err
		}
		return nil
	}
}

// commitStage marks the operation boundary for the checkpointer: in eager
// mode the operation's updates are durable when it returns.
func commitStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		err := next(ctx, op)
		if !op.Replaying {
			runOf(ctx).scope.exec.commit(ctx)
		}
		return err
	}
}

// executeTerminal runs the kind.
func executeTerminal(ctx context.Context, op *middleware.Operation) error {
	r := runOf(ctx)
	err := r.kind.execute(ctx, r)
	op.Err = err
	if err == nil && r.scope.exec.en.exposeResult {
		// Boxing the value costs an allocation: only when a user
		// middleware may read it.
		op.Result = r.kind.result()
	}
	if op.EndTime.IsZero() && op.Status.Terminal() {
		op.EndTime = time.Now()
	}
	return err
}

// The attempt chain: user attempt middlewares, retryStage, encodeStage,
// attemptTerminal.

// retryStage asks the retry strategy what to do after a failed attempt;
// serdes failures are not retried.
func retryStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		err := next(ctx, op)
		r := runOf(ctx)
		r.decision = retry.Decision{}
		if err != nil && r.strategy != nil && retryable(err) {
			r.decision = r.strategy(op.Attempt, err)
			if r.decision.Retry {
				r.decision.Delay = retry.Clamp(r.decision.Delay)
			}
		}
		return err
	}
}

// retryable reports whether a failed attempt's error may be retried: serdes
// failures and results over the payload limit are not. (Its errors.As
// targets escape, so it is only called once an attempt has failed.)
func retryable(err error) bool {
	var se *serdes.Error
	var tooLarge *PayloadTooLargeError
	return !errors.As(err, &se) && !errors.As(err, &tooLarge)
}

// encodeStage serializes a successful attempt's result into op.Payload.
func encodeStage(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, op *middleware.Operation) error {
		if err := next(ctx, op); err != nil {
			return err
		}
		r := runOf(ctx)
		p, err := r.serdes.Serialize(r.serdesContext(), op.Result)
		if err != nil {
			return asSerdesError(err, op.ID, serdes.OpSerialize)
		}
		if limit := r.scope.exec.en.cfg.MaxPayloadBytes; len(p) > limit {
			return &PayloadTooLargeError{OperationID: op.ID, Size: len(p), Limit: limit}
		}
		op.Payload = p
		return liveAsReplayed(r, op, p)
	}
}

// attemptTerminal runs one attempt of the kind.
func attemptTerminal(ctx context.Context, op *middleware.Operation) error {
	r := runOf(ctx)
	a, ok := r.kind.(attempter)
	if !ok {
		return errors.New("durable: internal error: operation kind has no attempts")
	}
	return a.attempt(ctx, r)
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
