package local

import (
	"sync"
	"time"
)

// Clock is the service's source of time. RealClock is wall time;
// *VirtualClock is time that only moves when told to (or when the service
// skips it, see WithTimeSkipping).
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has elapsed on this clock and returns a
	// function that cancels the call (reporting whether it did).
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// RealClock returns the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// VirtualClock is a manually driven clock. Advance and AdvanceTo run the
// functions that fall due, in time order, before they return, so that a
// caller can rely on their effects having happened.
type VirtualClock struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64
	waiters map[uint64]virtualWaiter
}

type virtualWaiter struct {
	at  time.Time
	seq uint64
	f   func()
}

// NewVirtualClock returns a virtual clock reading start. A zero start means
// 2025-01-01T00:00:00Z, so that runs are reproducible.
func NewVirtualClock(start time.Time) *VirtualClock {
	if start.IsZero() {
		start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &VirtualClock{now: start, waiters: map[uint64]virtualWaiter{}}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc registers f to run when the clock reaches Now()+d. If d <= 0, f
// runs at once in its own goroutine.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) func() bool {
	if d <= 0 {
		go f()
		return func() bool { return false }
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.waiters[id] = virtualWaiter{at: c.now.Add(d), seq: id, f: f}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.waiters[id]
		delete(c.waiters, id)
		return ok
	}
}

// Advance moves the clock forward by d (negative d is ignored) and runs the
// functions due by then.
func (c *VirtualClock) Advance(d time.Duration) {
	if d < 0 {
		d = 0
	}
	c.AdvanceTo(c.Now().Add(d))
}

// AdvanceTo moves the clock to t (never backwards), running the functions
// due by then in time order, in the caller's goroutine. Each runs with the
// clock reading its due time, so that functions registered meanwhile and due
// before t run too, in order.
func (c *VirtualClock) AdvanceTo(t time.Time) {
	for {
		c.mu.Lock()
		var next *virtualWaiter
		var nextId uint64
		for id, w := range c.waiters {
			if w.at.After(t) {
				continue
			}
			if next == nil || w.at.Before(next.at) || (w.at.Equal(next.at) && w.seq < next.seq) {
				w := w
				next, nextId = &w, id
			}
		}
		if next == nil {
			if t.After(c.now) {
				c.now = t
			}
			c.mu.Unlock()
			return
		}
		delete(c.waiters, nextId)
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// timeSkipper is implemented by clocks the service may jump forward.
type timeSkipper interface {
	AdvanceTo(t time.Time)
}
