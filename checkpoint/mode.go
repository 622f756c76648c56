package checkpoint

import (
	"fmt"
	"time"
)

// Limits of one CheckpointDurableExecution request that SDKs respect.
const (
	// MaxBatchBytes is the most update bytes sent in one request (750 KiB).
	MaxBatchBytes = 750 * 1024
	// MaxBatchUpdates is the most updates sent in one request.
	MaxBatchUpdates = 250
)

// StartDelay is how long a STEP or CONTEXT operation may run before its
// START, still waiting in the queue, is sent on its own. An operation that
// ends sooner sends its START with its outcome, in one request.
const StartDelay = 10 * time.Millisecond

// Mode decides when a Checkpointer sends what has been enqueued. It is
// sealed: the modes are Eager, Batched and Optimistic. Each mode's rules
// live in one place, its policy (see Point).
type Mode interface {
	// validate reports a clear error for an unusable configuration.
	validate() error
	// name is the mode's name for messages and docs.
	name() string
	// policy returns the mode's rules.
	policy() policy
}

// Eager makes every operation durable before the next line of user code
// runs. Concurrent commits are grouped into one request, and an
// at-least-once step's START and SUCCEED travel together when the body ends
// within StartDelay: one round trip per step. It is the default.
type Eager struct{}

// Batched groups updates and sends them in the background when MaxUpdates
// are waiting, when they reach MaxBytes, or when the oldest has waited
// MaxDelay. An operation's outcome that leaves MaxUpdates or more updates
// not yet durable waits until they are, so no more than MaxUpdates updates
// are ever not durable once an operation returns. Everything is also
// flushed before an at-most-once step body runs, after a retry is
// scheduled, before the invocation suspends and when it ends. A crash loses
// (and re-runs) what was not yet durable.
type Batched struct {
	// MaxUpdates flushes when this many updates wait, and makes an
	// operation wait for durability when this many are not yet durable
	// (0: MaxBatchUpdates).
	MaxUpdates int
	// MaxBytes flushes when the waiting updates carry this many bytes
	// (0: MaxBatchBytes).
	MaxBytes int
	// MaxDelay flushes when the oldest waiting update is this old (0: no
	// age limit).
	MaxDelay time.Duration
}

// Optimistic runs ahead and sends only when something must be durable:
// before an at-most-once step body, after a retry is scheduled, before
// suspending, and at the end of the invocation (plus the START of an
// operation that runs longer than StartDelay, with everything queued
// before it). A crash re-runs everything since the last flush.
type Optimistic struct{}

// A Point is a moment of an invocation at which the engine hands the
// Checkpointer its updates (Checkpointer.At). The mode's policy answers, at
// each point, whether everything queued must be durable before the engine
// goes on; in between, its thresholds decide what is sent in the background.
//
//	point            Eager     Batched                               Optimistic
//	OperationStart   queue     queue                                 queue
//	AtMostOnceStart  durable   durable                               durable
//	Outcome          durable   durable if >= MaxUpdates not durable  queue
//	RetryScheduled   durable   durable                               durable
//	CallbackStart    durable   durable                               durable
//	Cancellation     durable   durable                               durable
//	Suspension       durable   durable                               durable
//	InvocationEnd    durable   durable                               durable
//	background       -         MaxUpdates, MaxBytes, MaxDelay        -
//
// In every mode a STEP or CONTEXT START still queued after its operation
// has run for StartDelay is sent in the background, with everything queued
// before it.
type Point uint8

// The points of an invocation.
const (
	// OperationStart: a live operation began and its START is queued; its
	// body runs next, without waiting for the START.
	OperationStart Point = iota
	// AtMostOnceStart: an at-most-once step's START is queued; the body
	// must not run before it is durable.
	AtMostOnceStart
	// Outcome: a live operation ended (its outcome, if any, is queued);
	// the workflow's next line runs next.
	Outcome
	// RetryScheduled: a RETRY is queued; the service starts the retry's
	// timer only once it is durable.
	RetryScheduled
	// CallbackStart: a callback's START is queued; the service's answer
	// carries the callback id the workflow needs next.
	CallbackStart
	// Cancellation: operations are about to be cancelled; the recorded
	// state must know every operation started so far.
	Cancellation
	// Suspension: the invocation is about to return PENDING.
	Suspension
	// InvocationEnd: the invocation is about to return SUCCEEDED or FAILED.
	InvocationEnd

	numPoints
)

// String returns the point's name.
func (p Point) String() string {
	switch p {
	case OperationStart:
		return "operation start"
	case AtMostOnceStart:
		return "at-most-once start"
	case Outcome:
		return "outcome"
	case RetryScheduled:
		return "retry scheduled"
	case CallbackStart:
		return "callback start"
	case Cancellation:
		return "cancellation"
	case Suspension:
		return "suspension"
	case InvocationEnd:
		return "invocation end"
	}
	return fmt.Sprintf("Point(%d)", uint8(p))
}

// policy is a mode's rules, in one place: what each Point requires and
// which thresholds send queued updates in the background.
type policy struct {
	// durableAt[p]: at p, everything queued is durable before At returns.
	durableAt [numPoints]bool
	// maxNotDurable: at Outcome, when at least this many updates are not
	// yet durable, everything queued is made durable (0: never).
	maxNotDurable int
	// sendUpdates, sendBytes, sendAge: queued updates are sent in the
	// background once this many wait, carry this many bytes, or the oldest
	// has waited this long (0: never).
	sendUpdates, sendBytes int
	sendAge                time.Duration
}

// queueState is what a policy looks at.
type queueState struct {
	queued, queuedBytes int  // updates waiting to be sent
	notDurable          int  // updates queued or in flight
	aged                bool // the oldest queued update has waited sendAge
}

// mustBeDurable answers "flush now and wait?" at pt.
func (p *policy) mustBeDurable(pt Point, q queueState) bool {
	if pt < numPoints && p.durableAt[pt] {
		return true
	}
	return pt == Outcome && p.maxNotDurable > 0 && q.notDurable >= p.maxNotDurable
}

// sendNow answers "send in the background now?" between points.
func (p *policy) sendNow(q queueState) bool {
	switch {
	case q.queued == 0:
		return false
	case q.aged:
		return true
	case p.sendUpdates > 0 && q.queued >= p.sendUpdates:
		return true
	}
	return p.sendBytes > 0 && q.queuedBytes >= p.sendBytes
}

// alwaysDurable are the points every mode makes durable.
var alwaysDurable = [numPoints]bool{
	AtMostOnceStart: true, RetryScheduled: true, CallbackStart: true, Cancellation: true, Suspension: true, InvocationEnd: true,
}

func (Eager) policy() policy {
	p := policy{durableAt: alwaysDurable}
	p.durableAt[Outcome] = true
	return p
}

func (b Batched) policy() policy {
	n := min(orDefault(b.MaxUpdates, MaxBatchUpdates), MaxBatchUpdates)
	return policy{
		durableAt:     alwaysDurable,
		maxNotDurable: n,
		sendUpdates:   n,
		sendBytes:     min(orDefault(b.MaxBytes, MaxBatchBytes), MaxBatchBytes),
		sendAge:       b.MaxDelay,
	}
}

func (Optimistic) policy() policy { return policy{durableAt: alwaysDurable} }

func (Eager) validate() error      { return nil }
func (Optimistic) validate() error { return nil }
func (b Batched) validate() error {
	switch {
	case b.MaxUpdates < 0 || b.MaxUpdates > MaxBatchUpdates:
		return fmt.Errorf("checkpoint: Batched.MaxUpdates %d out of range [0, %d]", b.MaxUpdates, MaxBatchUpdates)
	case b.MaxBytes < 0 || b.MaxBytes > MaxBatchBytes:
		return fmt.Errorf("checkpoint: Batched.MaxBytes %d out of range [0, %d]", b.MaxBytes, MaxBatchBytes)
	case b.MaxDelay < 0:
		return fmt.Errorf("checkpoint: Batched.MaxDelay %v is negative", b.MaxDelay)
	}
	return nil
}

func (Eager) name() string      { return "eager" }
func (Batched) name() string    { return "batched" }
func (Optimistic) name() string { return "optimistic" }

// ValidateMode reports whether m is a usable mode (nil means Eager).
func ValidateMode(m Mode) error {
	if m == nil {
		return nil
	}
	return m.validate()
}

// ModeName returns "eager", "batched" or "optimistic" (nil is eager).
func ModeName(m Mode) string {
	if m == nil {
		return Eager{}.name()
	}
	return m.name()
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
