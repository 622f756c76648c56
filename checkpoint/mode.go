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

// Mode decides when a Checkpointer sends what has been enqueued. It is
// sealed: the modes are Eager, Batched and Optimistic.
type Mode interface {
	// validate reports a clear error for an unusable configuration.
	validate() error
	// name is the mode's name for messages and docs.
	name() string
}

// Eager makes every operation durable before the next line of user code
// runs. Concurrent commits are grouped into one request, and an
// at-least-once step's START and SUCCEED travel together: one round trip per
// step. It is the default.
type Eager struct{}

// Batched groups updates and sends them when MaxUpdates are waiting, when
// they reach MaxBytes, or when the oldest has waited MaxDelay. Everything is
// also flushed before an at-most-once step body runs, before the invocation
// suspends and when it ends. A crash loses (and re-runs) what was not yet
// sent.
type Batched struct {
	// MaxUpdates flushes when this many updates wait (0: MaxBatchUpdates).
	MaxUpdates int
	// MaxBytes flushes when the waiting updates carry this many bytes
	// (0: MaxBatchBytes).
	MaxBytes int
	// MaxDelay flushes when the oldest waiting update is this old (0: no
	// age limit).
	MaxDelay time.Duration
}

// Optimistic runs ahead and sends only when something must be durable:
// before an at-most-once step body, before suspending, and at the end of the
// invocation. A crash re-runs everything since the last flush.
type Optimistic struct{}

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
