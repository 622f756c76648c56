package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/lambda-durable/durable/checkpoint"
)

// ReplayCheck turns one invocation into a determinism check (the replayer in
// durabletest uses it). The engine replays what history answers and ends
// the invocation, instead of running anything live, at the first operation
// that history cannot answer: one that is not recorded, or a step recorded
// without an outcome whose body would run again. That point is the
// frontier. A recorded operation that differs from the one the code asks
// for is reported as usual (NonDeterministicExecutionError), and kept here
// too, with the workflow's source line.
//
// Place it in the invocation's context with WithReplayCheck. A ReplayCheck
// serves one invocation.
type ReplayCheck struct {
	mu       sync.Mutex
	stop     *NonDeterministicExecutionError
	frontier bool
}

type replayCheckKey struct{}

// WithReplayCheck returns a context whose invocation is checked by rc.
func WithReplayCheck(ctx context.Context, rc *ReplayCheck) context.Context {
	return context.WithValue(ctx, replayCheckKey{}, rc)
}

func replayCheckFrom(ctx context.Context) *ReplayCheck {
	rc, _ := ctx.Value(replayCheckKey{}).(*ReplayCheck)
	return rc
}

// Result returns where the replay stopped: at a mismatch (frontier false),
// at the frontier (frontier true: op names the operation the code asked for
// there, Recorded is set if history holds it without an outcome), or
// nowhere (op nil: history answered every operation the code asked for).
func (rc *ReplayCheck) Result() (op *NonDeterministicExecutionError, frontier bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.stop, rc.frontier
}

func (rc *ReplayCheck) record(op *NonDeterministicExecutionError, frontier bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.stop == nil {
		rc.stop, rc.frontier = op, frontier
	}
}

// ErrReplayFrontier ends a checked invocation at the frontier (see
// ReplayCheck); it is never returned by a normal invocation.
var ErrReplayFrontier = errors.New("durable: replay reached an operation that history does not answer")

// nondeterministic fails the execution with err after filling in the
// workflow's source line. It is only reached on a mismatch, so walking the
// stack costs nothing on the normal path.
func (e *Execution) nondeterministic(err *NonDeterministicExecutionError) {
	err.Source = workflowSource()
	if e.check != nil {
		e.check.record(err, false)
	}
	e.abort(err)
}

// checkFrontier, called for every operation of a checked invocation once
// its record is known (rec may be nil), ends the invocation if the
// operation would run live.
func (e *Execution) checkFrontier(op *OperationSignature, id string, rec *checkpoint.Operation) {
	if rec != nil && (rec.Status.Terminal() || rec.Type != checkpoint.TypeStep || rec.Status == checkpoint.StatusPending) {
		// Answered by history, or waited for without running user code
		// (a wait, callback, invoke or scheduled retry suspends; an open
		// context re-runs workflow code whose operations are checked).
		return
	}
	stop := &NonDeterministicExecutionError{OperationID: id, Requested: *op, Source: workflowSource()}
	if rec != nil {
		stop.Recorded = OperationSignature{Type: rec.Type, SubType: rec.SubType, Name: rec.Name}
	}
	e.check.record(stop, true)
	e.abort(ErrReplayFrontier)
}

// sdkPackage is the import path of the SDK's root package.
const sdkPackage = "github.com/lambda-durable/durable"

// workflowSource returns "file:line" of the innermost caller outside the
// SDK's own packages (the root package and internal/...): the workflow line
// that asked for the current operation. Empty if none is found.
func workflowSource() string {
	var pcs [32]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if f.Function != "" && !inSDK(f.Function) {
			return fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}

// inSDK reports whether the function named fn (as runtime.Frame.Function
// spells it) belongs to the SDK's root package or one of its internal
// packages.
func inSDK(fn string) bool {
	if i := strings.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i] // type arguments may hold other import paths
	}
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return false
	}
	pkg := fn[:slash+1+dot]
	return pkg == sdkPackage || strings.HasPrefix(pkg, sdkPackage+"/internal/")
}
