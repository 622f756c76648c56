// Package plugin offers lifecycle hooks for durable handlers: invocation
// start and end, operation start and end, attempt start and end, and
// operation changes reported by checkpoint responses.
//
// Hooks are not a second mechanism: Install adapts a set of plugins onto the
// SDK's four middleware interception points (invocation, operation, attempt,
// checkpoint), and durable.WithPlugins installs them on a handler. A Plugin
// is a struct of optional hook functions; each receives a copy of what it
// describes (InvocationInfo, OperationInfo, AttemptInfo, ChangeInfo).
//
// Installing a plugin on a handler:
//
//	func audit(w io.Writer) plugin.Plugin {
//		var arn string // hooks of one handler never run concurrently
//		log := func(rec map[string]any) error {
//			rec["durableExecutionArn"] = arn
//			return json.NewEncoder(w).Encode(rec)
//		}
//		return plugin.Plugin{
//			Name: "audit",
//			InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
//				arn = i.ExecutionARN
//				return log(map[string]any{"hook": "invocation-start", "first": i.IsFirstInvocation})
//			},
//			OperationEnd: func(_ context.Context, op plugin.OperationInfo) error {
//				return log(map[string]any{"hook": "operation-end", "op": op.ID, "status": op.Status})
//			},
//			InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
//				return log(map[string]any{"hook": "invocation-end", "status": i.Status})
//			},
//		}
//	}
//
//	h := durable.NewHandler(workflow, durable.WithPlugins(audit(os.Stdout)))
//
// Several plugins run in the order given. Install returns the middlewares
// themselves, for placing them by hand or with a logger of your own.
//
// # Lifecycle
//
//   - InvocationStart fires before any workflow code runs; InvocationEnd
//     after the outcome is final: SUCCEEDED or FAILED when the execution
//     ended, PENDING when it suspended (InvocationInfo.Terminal tells).
//   - OperationStart fires when the code reaches a new operation
//     (IsReplay false) or one an earlier invocation left unfinished
//     (IsReplay true). An operation that had ended before the invocation is
//     replayed silently.
//   - OperationEnd fires once per operation over the execution, with its
//     terminal status, result payload or error: when it ends in this
//     invocation, or, for a wait, callback or chained invoke the service
//     completed while the execution was suspended, when the replay reaches
//     it. A step failure that will be retried is not an end, nor is the
//     suspension of the invocation while the operation waits.
//   - AttemptStart and AttemptEnd surround every live run of user code: each
//     step attempt, and each run of a child context's function (map items,
//     parallel branches, ...; IsReplayingChildren is true when it re-runs
//     over recorded children). A step attempt reports its own start and end
//     times.
//   - OperationChange fires for each checkpoint response, with the updated
//     operations and all those the invocation knows.
//
// # Isolation
//
// A hook that returns an error or panics is logged (with the plugin's Name
// and the hook's name) and ignored: the execution's outcome and history do
// not change and the other hooks still run. Hooks run synchronously, in the
// goroutine that reached the lifecycle point, one at a time per
// installation, so keep them quick.
package plugin
