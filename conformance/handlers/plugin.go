package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/plugin"
)

// recorder writes the records of one instrumentation plugin to the run's
// logs, one JSON object per line, each with the plugin's name and the
// execution ARN captured at invocation start (durableExecutionArn).
type recorder struct {
	w    io.Writer
	name string

	mu  sync.Mutex
	arn string
}

func newRecorder(w io.Writer, name string) *recorder { return &recorder{w: w, name: name} }

// log writes one record: fields plus plugin, hook and durableExecutionArn.
func (r *recorder) log(hook string, fields map[string]any) error {
	rec := map[string]any{"plugin": r.name, "hook": hook}
	for k, v := range fields {
		rec[k] = v
	}
	r.mu.Lock()
	rec["durableExecutionArn"] = r.arn
	r.mu.Unlock()
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = r.w.Write(append(line, '\n'))
	return err
}

// instrument completes p as a plugin of r: it names it after r and captures
// the execution ARN at every invocation start, before p's own hook runs.
func (r *recorder) instrument(p plugin.Plugin) plugin.Plugin {
	own := p.InvocationStart
	p.Name = r.name
	p.InvocationStart = func(ctx context.Context, i plugin.InvocationInfo) error {
		r.mu.Lock()
		r.arn = i.ExecutionARN
		r.mu.Unlock()
		if own == nil {
			return nil
		}
		return own(ctx, i)
	}
	return p
}

// operationHook returns an operation hook that logs hook with fields(op) for
// the operations of type typ ("" for every operation).
func (r *recorder) operationHook(hook string, typ checkpoint.OperationType, fields func(plugin.OperationInfo) map[string]any) func(context.Context, plugin.OperationInfo) error {
	return func(_ context.Context, op plugin.OperationInfo) error {
		if typ != "" && op.Type != typ {
			return nil
		}
		return r.log(hook, fields(op))
	}
}

// attemptHook is operationHook for attempt hooks.
func (r *recorder) attemptHook(hook string, typ checkpoint.OperationType, fields func(plugin.AttemptInfo) map[string]any) func(context.Context, plugin.AttemptInfo) error {
	return func(_ context.Context, a plugin.AttemptInfo) error {
		if typ != "" && a.Type != typ {
			return nil
		}
		return r.log(hook, fields(a))
	}
}

// opID is the fields of a record that names its operation.
func opID(op plugin.OperationInfo) map[string]any { return map[string]any{"op": op.ID} }

// opStatus is the fields of a record that names its operation and status.
func opStatus(op plugin.OperationInfo) map[string]any {
	return map[string]any{"op": op.ID, "status": string(op.Status)}
}

// errFaulty is what every hook of the faulty plugin fails with.
var errFaulty = errors.New("faulty plugin hook")

// faultyPlugin logs the name of each hook it reaches (operation and attempt
// hooks for steps only) and then fails.
func faultyPlugin(w io.Writer) plugin.Plugin {
	r := newRecorder(w, "CONFPLUGIN-FAULTY")
	fail := func(hook string) error {
		if err := r.log(hook, nil); err != nil {
			return err
		}
		return errFaulty
	}
	failOp := func(hook string) func(context.Context, plugin.OperationInfo) error {
		return func(_ context.Context, op plugin.OperationInfo) error {
			if op.Type != checkpoint.TypeStep {
				return nil
			}
			return fail(hook)
		}
	}
	failAttempt := func(hook string) func(context.Context, plugin.AttemptInfo) error {
		op := failOp(hook)
		return func(ctx context.Context, a plugin.AttemptInfo) error { return op(ctx, a.OperationInfo) }
	}
	return r.instrument(plugin.Plugin{
		InvocationStart: func(context.Context, plugin.InvocationInfo) error { return fail("invocation-start") },
		InvocationEnd:   func(context.Context, plugin.InvocationInfo) error { return fail("invocation-end") },
		OperationStart:  failOp("operation-start"),
		OperationEnd:    failOp("operation-end"),
		AttemptStart:    failAttempt("attempt-start"),
		AttemptEnd:      failAttempt("attempt-end"),
	})
}

// orNone returns s, or the literal "NONE" when s is empty.
func orNone(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}

// timestamp formats t as ISO-8601; ok is false for the zero time.
func timestamp(t time.Time) (string, bool) {
	if t.IsZero() {
		return "", false
	}
	return t.UTC().Format(time.RFC3339Nano), true
}

// dumpOperation is the canonical dump of an operation's info: every field
// that is set, under its camelCase name.
func dumpOperation(op plugin.OperationInfo) map[string]any {
	d := map[string]any{
		"id":       op.ID,
		"type":     string(op.Type),
		"isReplay": op.IsReplay,
	}
	set := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	set("name", op.Name)
	set("subType", op.SubType)
	set("parentId", op.ParentID)
	set("status", string(op.Status))
	if ts, ok := timestamp(op.StartTime); ok {
		d["startTimestamp"] = ts
	}
	if ts, ok := timestamp(op.EndTime); ok {
		d["endTimestamp"] = ts
	}
	if op.Error != nil {
		d["error"] = op.Error.ErrorMessage
	}
	if op.Attempt > 0 {
		d["attempt"] = op.Attempt
	}
	return d
}

// dumpInvocation is the canonical dump of an invocation's info (start fields,
// and the end fields once the invocation ended).
func dumpInvocation(i plugin.InvocationInfo, end bool) map[string]any {
	d := map[string]any{
		"isFirstInvocation": i.IsFirstInvocation,
		"operationsCount":   len(i.Operations()),
	}
	if i.RequestID != "" {
		d["requestId"] = i.RequestID
	}
	if ts, ok := timestamp(i.ExecutionStartTime); ok {
		d["executionStartTimestamp"] = ts
	}
	if !end {
		d["updatedOperationsCount"] = len(i.UpdatedOperations)
		return d
	}
	if i.Status != "" {
		d["status"] = string(i.Status)
	}
	d["terminal"] = i.Terminal()
	switch {
	case i.Error != nil:
		d["executionError"] = i.Error.ErrorMessage
	case i.Err != nil:
		d["executionError"] = i.Err.Error()
	}
	return d
}

// withPlugins is the Factory of a requirement whose handler fn runs with the
// plugins that plugins builds over the run's logs.
func withPlugins[I, O any](fn func(durable.Context, I) (O, error), plugins func(w io.Writer) []plugin.Plugin) harness.Factory {
	return func(env harness.Env) harness.Deployment {
		return harness.Deployment{Handler: newHandler(env, fn, durable.WithPlugins(plugins(env.Logs)...))}
	}
}

// greet is the workflow of most plugin requirements: one step that greets
// the input and logs that it runs.
func greet(ctx durable.Context, name string) (string, error) {
	return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("Greeting step running for: " + name)
		return "Hello, " + name + "!", nil
	})
}

// waitTwoSeconds is a workflow of a single 2 s wait.
func waitTwoSeconds(ctx durable.Context, _ any) (any, error) {
	return nil, durable.Wait(ctx, "", 2*time.Second)
}
