package engine

import "github.com/lambda-durable/durable/checkpoint"

// contextOutcome is embedded by the kinds recorded as a CONTEXT (child
// contexts, map, parallel, combinators): a recorded failure is a
// *ChildContextError.
type contextOutcome struct{}

func (contextOutcome) failed(r *run, obj *checkpoint.ErrorObject) error {
	e := &ChildContextError{OperationID: r.op.ID, Name: r.op.Name}
	if obj != nil {
		e.Object = *obj
	}
	return e
}

// fail closes the context scope of r as FAILED with err and returns the
// error a replay returns.
func (k contextOutcome) fail(r *run, scope *Context, err error) error {
	obj := ErrorObjectOf(err)
	u := r.update(checkpoint.ActionFail)
	u.Error = &obj
	if cerr := r.scope.exec.closeScope(scope, u); cerr != nil {
		return cerr
	}
	r.op.Status = checkpoint.StatusFailed
	return k.failed(r, &obj)
}

// replaysChildren reports whether rec is a context recorded with
// ReplayChildren, whose body re-runs on replay (the kinds' rerun method; it
// cannot be promoted from contextOutcome, run's rerun field would hide it).
func replaysChildren(rec *checkpoint.Operation) bool {
	return rec.Status == checkpoint.StatusSucceeded && rec.ContextDetails != nil && rec.ContextDetails.ReplayChildren
}

// Compile-time checks: the context kinds that rebuild from their children.
var (
	_ rerunner = (*childRun[int])(nil)
	_ rerunner = (*batchRun[int])(nil)
)
