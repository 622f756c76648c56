package engine

import (
	"github.com/lambda-durable/durable/checkpoint"
)

// The scheduler counts the goroutines that run durable code (the workflow
// and those started with Go) and are not blocked. A goroutine blocks on the
// service (awaitOp) or on another tracked goroutine (Event.Wait); whoever
// wakes it counts it as running again before it resumes, so the count never
// drops to zero while work is still possible. When it reaches zero the
// invocation flushes and, if still nothing runs, suspends: blocked
// goroutines then park (Execution.park): they unwind through the chains of
// the operations they are in, whose interceptors see
// middleware.ErrSuspended, instead of continuing user code after the
// invocation ended; the suspending invocation waits for them to finish.

// Event is a one-shot signal between goroutines tracked by the scheduler.
// A goroutine waiting on it counts as blocked.
type Event struct {
	e        *Execution
	ch       chan struct{}
	fired    bool
	waiting  int
	watchers []*watcher // waitany.go
}

// NewEvent returns an Event that has not fired.
func (e *Execution) NewEvent() *Event {
	return &Event{e: e, ch: make(chan struct{})}
}

// Fire signals the event; later calls do nothing. It may be called from any
// goroutine.
func (ev *Event) Fire() {
	ev.e.mu.Lock()
	ev.fireLocked()
	ev.e.mu.Unlock()
}

func (ev *Event) fireLocked() {
	if ev.fired {
		return
	}
	ev.fired = true
	if !ev.e.ended {
		ev.e.running += ev.waiting
	}
	ev.waiting = 0
	close(ev.ch)
	for _, w := range ev.watchers {
		w.notifyLocked(ev)
	}
	ev.watchers = nil
}

// Fired reports whether Fire was called.
func (ev *Event) Fired() bool {
	ev.e.mu.Lock()
	defer ev.e.mu.Unlock()
	return ev.fired
}

// Done returns a channel closed when the event fires.
func (ev *Event) Done() <-chan struct{} { return ev.ch }

// Wait blocks the calling tracked goroutine until the event fires. If the
// invocation ends first, the goroutine parks (Execution.park).
func (ev *Event) Wait() {
	e := ev.e
	e.mu.Lock()
	if ev.fired {
		e.mu.Unlock()
		return
	}
	if e.ended {
		e.mu.Unlock()
		e.park()
	}
	ev.waiting++
	e.blockLocked()
	e.mu.Unlock()
	select {
	case <-ev.ch:
	case <-e.dead:
	}
	e.checkLive()
}

// Go runs fn in a new goroutine tracked by the scheduler (a map item, a
// parallel branch) and returns an Event that fires when fn returns. A panic
// in fn ends the execution FAILED. If the invocation has ended the caller
// exits instead.
func (e *Execution) Go(fn func()) *Event {
	done := e.NewEvent()
	e.mu.Lock()
	if e.ended {
		e.mu.Unlock()
		e.park()
	}
	e.running++
	e.live.Add(1)
	e.mu.Unlock()
	go func() {
		reserveStack(0)
		defer e.live.Done()
		defer func() {
			if p := recover(); p != nil && !isPark(p) {
				e.setFatal(newPanicError(p))
			}
			e.mu.Lock()
			if !e.ended {
				e.running--
				done.fireLocked()
				e.maybeIdleLocked()
			} else {
				done.fireLocked()
			}
			e.mu.Unlock()
		}()
		fn()
	}()
	return done
}

// blockLocked counts the calling goroutine as blocked.
func (e *Execution) blockLocked() {
	e.running--
	e.maybeIdleLocked()
}

func (e *Execution) maybeIdleLocked() {
	if e.running <= 0 {
		select {
		case e.idle <- struct{}{}:
		default:
		}
	}
}

// awaiting reports whether an operation in status s is still waiting for the
// service (a timer, a callback, a chained invoke).
func awaiting(s checkpoint.Status) bool {
	return s == checkpoint.StatusStarted || s == checkpoint.StatusPending
}

// awaitOp blocks the calling goroutine until the recorded operation id is no
// longer STARTED or PENDING, and returns its record. The invocation may
// suspend meanwhile, in which case the goroutine exits.
func (e *Execution) awaitOp(id string) *checkpoint.Operation {
	e.mu.Lock()
	for {
		if e.ended {
			e.mu.Unlock()
			e.park()
		}
		if op := e.ops[id]; op != nil && !awaiting(op.Status) {
			e.mu.Unlock()
			return op
		}
		ch := make(chan struct{})
		e.waiters[id] = append(e.waiters[id], ch)
		e.blockLocked()
		e.mu.Unlock()
		select {
		case <-ch:
		case <-e.dead:
		}
		e.mu.Lock()
	}
}

// onState merges a NewExecutionState delta and wakes the goroutines waiting
// on operations that left STARTED / PENDING. It keeps pointers into the
// delta's records instead of copying each one: a response belongs to its
// receiver (the Lambda adapter and the local service build a new one for
// every call) and the engine never writes to a record.
func (e *Execution) onState(st *checkpoint.ExecutionState) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range st.Operations {
		op := &st.Operations[i]
		e.ops[op.Id] = op
		if awaiting(op.Status) {
			continue
		}
		if ws := e.waiters[op.Id]; len(ws) > 0 {
			delete(e.waiters, op.Id)
			for _, ch := range ws {
				if !e.ended {
					e.running++
				}
				close(ch)
			}
		}
	}
}

// stackReserve is how much stack a durable goroutine reserves when it starts.
const stackReserve = 6 << 10

// reserveStack grows the calling goroutine's stack to hold stackReserve
// bytes more, while it is still almost empty and cheap to copy. A durable
// goroutine (a map item, a parallel branch, a combinator's operand) reaches
// this depth anyway once an operation runs through the pipeline, where the
// runtime would grow a deep stack, and adjust every frame of it, one
// doubling at a time.
//
//go:noinline
func reserveStack(i int) byte {
	var frame [stackReserve]byte
	return frame[i]
}
