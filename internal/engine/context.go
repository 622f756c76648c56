package engine

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lambda-durable/durable/logging"
)

// Context is the engine's durable context: the root of an execution or a
// child context. It embeds the context.Context it was created with. Its
// operation counter is atomic, so ids stay unique when several goroutines
// use it; they are deterministic when the order of calls is.
type Context struct {
	context.Context
	exec    *Execution
	id      string // the CONTEXT operation's id; "" at the top level
	name    string
	parent  *Context
	counter atomic.Int64
	virtual bool // a flat map/parallel item: ids prefixed by id, recorded under parent (batch_virtual.go)

	closed    atomic.Bool
	replaying atomic.Bool
	logger    atomic.Pointer[slog.Logger]
}

// Execution returns the execution this context belongs to.
func (c *Context) Execution() *Execution { return c.exec }

// ID returns the id of the child context's operation ("" at the top level).
func (c *Context) ID() string { return c.id }

// Parent returns the enclosing context (nil at the top level).
func (c *Context) Parent() *Context { return c.parent }

// ExecutionARN returns the durable execution's ARN.
func (c *Context) ExecutionARN() string { return c.exec.arn }

// InputPayload returns the execution's input as recorded (a JSON text,
// possibly empty).
func (c *Context) InputPayload() string { return c.exec.input }

// ExecutionStartTime returns when the execution started (recorded, so it is
// the same on every replay).
func (c *Context) ExecutionStartTime() time.Time { return c.exec.start }

// IsReplaying reports whether this context is still re-running operations
// recorded by earlier invocations: it has not reached an operation that is
// new or unfinished, and some recorded operation has not been visited yet.
func (c *Context) IsReplaying() bool { return c.replaying.Load() && c.exec.replayLeft.Load() > 0 }

// Closed reports whether this context or an ancestor has completed or been
// abandoned; operations on it fail with ErrContextClosed.
func (c *Context) Closed() bool { return c.closedChain() }

// Abandon closes the context without recording anything: its operations
// (and those of its descendants) are refused from now on. Map and parallel
// use it for branches still running when the batch completes.
func (c *Context) Abandon() {
	c.exec.enqMu.Lock()
	c.closed.Store(true)
	c.exec.enqMu.Unlock()
}

func (c *Context) closedChain() bool {
	for s := c; s != nil; s = s.parent {
		if s.closed.Load() {
			return true
		}
	}
	return false
}

// NextID consumes and returns the next operation id of this context.
func (c *Context) NextID() string { return ChildID(c.id, c.counter.Add(1)) }

// Seed consumes the next operation id and returns a value derived from the
// execution ARN and that position: deterministic across replays, distinct
// for every call. UUID and random helpers are built on it.
func (c *Context) Seed() [32]byte {
	id := c.NextID()
	h := sha256.New()
	h.Write([]byte(c.exec.arn))
	h.Write([]byte{0})
	h.Write([]byte(id))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Logger returns the context's logger: replay-aware (records are dropped
// while IsReplaying unless replays are shown) with executionArn, requestId
// and, in a child context, parentId.
func (c *Context) Logger() *slog.Logger {
	if l := c.logger.Load(); l != nil {
		return l
	}
	e := c.exec
	h := logging.NewHandler(e.en.cfg.LogHandler, c, logging.Options{ShowReplays: e.en.cfg.ShowReplayLogs})
	attrs := []slog.Attr{slog.String(logging.KeyExecutionARN, e.arn), slog.String(logging.KeyRequestID, e.requestID)}
	if c.id != "" {
		attrs = append(attrs, slog.String(logging.KeyParentID, c.id))
	}
	attrs = append(attrs, logging.AttrsFromContext(c.Context)...)
	l := slog.New(h.WithAttrs(attrs))
	c.logger.CompareAndSwap(nil, l)
	return c.logger.Load()
}

// child returns a new child context for the CONTEXT operation id.
func (c *Context) child(ctx context.Context, id, name string, replaying bool) *Context {
	ch := &Context{Context: ctx, exec: c.exec, id: id, name: name, parent: c}
	ch.replaying.Store(replaying)
	return ch
}
