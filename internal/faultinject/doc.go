// Package faultinject injects the faults a durable function meets into its
// conversation with the durable execution service, for the project's
// TestFault... tests.
//
// An Injector holds rules ("fault the 3rd CheckpointDurableExecution call
// with a throttling error") and counts calls. It acts at one of two layers:
//
//   - the SDK's client: Client (or Middleware, for
//     durable.WithCheckpointMiddleware) wraps the checkpoint.Client of an
//     invocation. Service errors (throttling, 5xx, stale token, 4xx, KMS,
//     payload too large) are delivered by the local service itself through
//     Hook (install it with local.WithAPIHook), so that they are classified
//     by the real in-process client; transport faults (reset, timeout, lost
//     response, missing token) and crashes are made by the wrapper.
//   - the wire: HTTP wraps the local service's HTTP front and answers with
//     error responses, dropped connections or doctored bodies, which the
//     aws-sdk-go-v2 Lambda client then classifies and retries.
//
// Crashes need the invocation to be killable: Function wraps the function
// the service invokes, gives each invocation a kill switch (Kill) and, once
// killed, stops every further service call of that invocation and reports a
// runtime exit to the service instead of the handler's response, as when
// Lambda kills a timed-out function or its process dies.
package faultinject
