// Package middleware is the interception contract of the durable SDK.
//
// Every durable operation (step, wait, child context, and the operations
// built on them) is described by one descriptor, *Operation, and runs
// through one chain of Middleware values composed once when the handler is
// built. Four interception points exist:
//
//   - operation: around every operation, including replayed ones (Middleware);
//   - attempt: around each live attempt of a step body (Middleware, same shape);
//   - checkpoint: around each call to the durable execution service
//     (CheckpointMiddleware, wrapping a checkpoint.Client);
//   - invocation: around each Lambda invocation (InvocationMiddleware).
//
// The SDK's own stages (logging, replay handling, serdes, checkpoint) are
// middlewares of the same shapes; the engine places them innermost, so user
// middlewares see the final descriptor, results and errors included, and one
// guard outermost, which enforces the contract described on Middleware:
// identity read-only (Operation.Spec), outcome changed only through the
// returned error, any context passed on, and suspension (ErrSuspended)
// visible to every interceptor but never able to let workflow code run past
// it.
//
// This package never imports the root durable package nor the engine, so
// middlewares only see a plain context.Context and the descriptor.
package middleware
