package ops

import (
	"reflect"
	"runtime"
)

// waitAny blocks the calling tracked goroutine until at least one of evs has
// fired (at once if one already has). While it waits the goroutine counts as
// blocked, exactly once, like Event.Wait; if the invocation ends first it
// exits (runtime.Goexit). Map, parallel and the combinators use it to wait
// for the first of several operations.
func (e *Execution) waitAny(evs []*Event) {
	e.mu.Lock()
	for _, ev := range evs {
		if ev.fired {
			e.mu.Unlock()
			return
		}
	}
	if e.ended {
		e.mu.Unlock()
		runtime.Goexit()
	}
	for _, ev := range evs {
		ev.waiting++
	}
	e.blockLocked()
	e.mu.Unlock()

	cases := make([]reflect.SelectCase, 0, len(evs)+1)
	cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(e.dead)})
	for _, ev := range evs {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ev.ch)})
	}
	reflect.Select(cases)

	e.mu.Lock()
	if !e.ended {
		// Every event that fired counted this goroutine as running again;
		// it is one goroutine, so keep one of those counts. The events that
		// did not fire forget it.
		fired := 0
		for _, ev := range evs {
			if ev.fired {
				fired++
			} else {
				ev.waiting--
			}
		}
		e.running -= fired - 1
	}
	e.mu.Unlock()
	e.checkLive()
}
