// Package engine is the replay engine of the durable SDK: it loads an
// execution's recorded operations, runs the workflow, assigns deterministic
// operation ids, replays completed operations from history, runs live ones
// through the middleware pipeline and the checkpointer, and decides when an
// invocation suspends.
//
// The root durable package is a thin typed layer over this package. An
// operation kind is a type implementing the kind interface (see pipeline.go)
// in its own file; it runs through (*Context).Run, which applies the same
// pipeline (user middlewares, logging, serdes, replay, checkpoint) to every
// kind. Goroutines that run durable code (the workflow, and branches started
// with (*Execution).Go) are tracked by a small scheduler so that the
// invocation suspends exactly when all of them wait on the service.
package engine
