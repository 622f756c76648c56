package engine

import "testing"

// A watcher reports exactly the events that fired, blocks its goroutine
// (counted as blocked) only while none has, and counts it running again
// once when woken.
func TestWatcherReportsFiredEvents(t *testing.T) {
	e := &Execution{idle: make(chan struct{}, 1), dead: make(chan struct{}), running: 1}
	a, b, c := e.NewEvent(), e.NewEvent(), e.NewEvent()
	w := e.newWatcher()
	for _, ev := range []*Event{a, b, c} {
		w.watch(ev)
	}

	// Fired before the wait: returned at once, nothing blocks.
	b.Fire()
	if got := w.wait(); len(got) != 1 || got[0] != b {
		t.Fatalf("wait = %v, want [b]", got)
	}

	// Fired while the goroutine waits: it is woken and counted once.
	done := make(chan []*Event)
	go func() { done <- w.wait() }()
	<-e.idle // the waiter counted itself blocked: nothing runs
	e.mu.Lock()
	if e.running != 0 {
		t.Errorf("running = %d while waiting, want 0", e.running)
	}
	e.mu.Unlock()
	e.mu.Lock()
	c.fireLocked()
	a.fireLocked()
	e.mu.Unlock()
	got := <-done
	if len(got) != 2 || got[0] != c || got[1] != a {
		t.Fatalf("wait = %v, want [c a]", got)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running != 1 {
		t.Errorf("running = %d after the wake-up, want 1", e.running)
	}
}

// waitAny forgets its watcher on the events that did not fire.
func TestWaitAnyForgetsUnfiredEvents(t *testing.T) {
	e := &Execution{idle: make(chan struct{}, 1), dead: make(chan struct{}), running: 1}
	a, b := e.NewEvent(), e.NewEvent()
	a.Fire()
	e.waitAny([]*Event{a, b})
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(b.watchers) != 0 {
		t.Errorf("b keeps %d watchers", len(b.watchers))
	}
	if e.running != 1 {
		t.Errorf("running = %d, want 1", e.running)
	}
}
