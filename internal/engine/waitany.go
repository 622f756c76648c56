package engine

import (
	"slices"
)

// watcher lets one tracked goroutine wait for any of several events and
// learn which fired, without selecting over all of them: each watched
// event, when it fires, appends itself to fired and wakes the watcher's
// goroutine if it is blocked. A map or parallel keeps one watcher for its
// whole run, so the work per finished item does not grow with the number
// of items still running. Its fields are guarded by the execution's mu.
type watcher struct {
	e       *Execution
	ch      chan struct{} // capacity 1: the wake-up
	fired   []*Event      // fired since the last take
	blocked bool          // the goroutine waits in wait (counted blocked)
}

func (e *Execution) newWatcher() *watcher {
	return &watcher{e: e, ch: make(chan struct{}, 1)}
}

// watch adds ev to the watched events (at once to fired if it has fired).
func (w *watcher) watch(ev *Event) {
	w.e.mu.Lock()
	w.watchLocked(ev)
	w.e.mu.Unlock()
}

func (w *watcher) watchLocked(ev *Event) {
	if ev.fired {
		w.fired = append(w.fired, ev)
		return
	}
	ev.watchers = append(ev.watchers, w)
}

// notifyLocked records that ev fired; called by Event.fireLocked.
func (w *watcher) notifyLocked(ev *Event) {
	w.fired = append(w.fired, ev)
	if w.blocked {
		w.blocked = false
		if !w.e.ended {
			w.e.running++
		}
		select {
		case w.ch <- struct{}{}:
		default:
		}
	}
}

// wait blocks the calling tracked goroutine until at least one watched event
// has fired since the last call (at once if one has) and returns those
// events; the caller owns the returned slice. While it waits the goroutine
// counts as blocked, like Event.Wait; if the invocation ends first it exits
// (Execution.park).
func (w *watcher) wait() []*Event {
	e := w.e
	e.mu.Lock()
	if len(w.fired) == 0 {
		if e.ended {
			e.mu.Unlock()
			e.park()
		}
		w.blocked = true
		e.blockLocked()
		e.mu.Unlock()
		select {
		case <-w.ch:
		case <-e.dead:
		}
		e.checkLive()
		e.mu.Lock()
	}
	fired := w.fired
	w.fired = nil
	e.mu.Unlock()
	return fired
}

// stop forgets the watcher on the watched events that have not fired.
func (w *watcher) stop(evs []*Event) {
	w.e.mu.Lock()
	for _, ev := range evs {
		if !ev.fired {
			ev.watchers = slices.DeleteFunc(ev.watchers, func(x *watcher) bool { return x == w })
		}
	}
	w.e.mu.Unlock()
}

// waitAny blocks the calling tracked goroutine until at least one of evs has
// fired (at once if one already has). While it waits the goroutine counts as
// blocked, exactly once, like Event.Wait; if the invocation ends first it
// exits (runtime.Goexit). The combinators use it to wait for the first of
// several operations.
func (e *Execution) waitAny(evs []*Event) {
	w := e.newWatcher()
	e.mu.Lock()
	for _, ev := range evs {
		w.watchLocked(ev)
	}
	e.mu.Unlock()
	defer w.stop(evs)
	w.wait()
}
