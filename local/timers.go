package local

import (
	"container/heap"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// timerKind says what a timer does when it fires.
type timerKind int

const (
	timerRetry             timerKind = iota // STEP PENDING -> READY
	timerWait                               // WAIT STARTED -> SUCCEEDED
	timerCallbackTimeout                    // CALLBACK -> TIMED_OUT (Callback.Timeout)
	timerCallbackHeartbeat                  // CALLBACK -> TIMED_OUT (Callback.Heartbeat)
	timerExecution                          // execution -> TIMED_OUT
	timerRetention                          // ended execution -> evicted
)

// timer is one scheduled transition. Timers are never removed early: a
// timer whose transition no longer applies is stale and ignored.
type timer struct {
	at   time.Time
	arn  string
	id   string
	kind timerKind
	seq  uint64
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// addTimerLocked schedules a transition.
func (s *Service) addTimerLocked(at time.Time, arn, id string, kind timerKind) {
	s.timerSeq++
	heap.Push(&s.timers, timer{at: at, arn: arn, id: id, kind: kind, seq: s.timerSeq})
}

// armTimersLocked schedules the timers of a (restored) running execution.
func (s *Service) armTimersLocked(e *execution) {
	if e.Status.Terminal() {
		return
	}
	s.addTimerLocked(e.StartTime.Add(e.Timeout), e.Arn, "", timerExecution)
	for _, o := range e.Ops {
		switch {
		case o.Type == checkpoint.TypeStep && o.Status == checkpoint.StatusPending && o.StepDetails != nil:
			s.addTimerLocked(o.StepDetails.NextAttemptTimestamp.Time, e.Arn, o.Id, timerRetry)
		case o.Type == checkpoint.TypeWait && o.Status == checkpoint.StatusStarted && o.WaitDetails != nil:
			s.addTimerLocked(o.WaitDetails.ScheduledEndTimestamp.Time, e.Arn, o.Id, timerWait)
		case o.Type == checkpoint.TypeCallback && o.Status == checkpoint.StatusStarted:
			if m := e.Meta[o.Id]; m != nil {
				s.armCallbackLocked(e, o.Id, m)
			}
		}
	}
}

// armCallbackLocked schedules a callback's timeout and heartbeat timers.
func (s *Service) armCallbackLocked(e *execution, id string, m *opMeta) {
	if !m.TimeoutAt.IsZero() {
		s.addTimerLocked(m.TimeoutAt, e.Arn, id, timerCallbackTimeout)
	}
	if !m.HeartbeatAt.IsZero() {
		s.addTimerLocked(m.HeartbeatAt, e.Arn, id, timerCallbackHeartbeat)
	}
}

// liveLocked reports whether t would still do something.
func (s *Service) liveLocked(t timer) bool {
	e := s.execs[t.arn]
	if t.kind == timerRetention {
		return e != nil && e.Status.Terminal() && !t.at.Before(e.expiry())
	}
	if e == nil || e.Status.Terminal() {
		return false
	}
	if t.kind == timerExecution {
		return t.at.Equal(e.StartTime.Add(e.Timeout))
	}
	o := e.index[t.id]
	if o == nil {
		return false
	}
	switch t.kind {
	case timerRetry:
		return o.Status == checkpoint.StatusPending && o.StepDetails != nil && o.StepDetails.NextAttemptTimestamp.Equal(t.at)
	case timerWait:
		return o.Status == checkpoint.StatusStarted && o.WaitDetails != nil && o.WaitDetails.ScheduledEndTimestamp.Equal(t.at)
	case timerCallbackTimeout, timerCallbackHeartbeat:
		m := e.Meta[t.id]
		if o.Status != checkpoint.StatusStarted || m == nil {
			return false
		}
		if t.kind == timerCallbackTimeout {
			return m.TimeoutAt.Equal(t.at)
		}
		return m.HeartbeatAt.Equal(t.at)
	}
	return false
}

// dropStaleLocked removes stale timers from the top of the heap.
func (s *Service) dropStaleLocked() {
	for s.timers.Len() > 0 && !s.liveLocked(s.timers[0]) {
		heap.Pop(&s.timers)
	}
}

// processTimersLocked fires every due timer, then asks the clock to wake
// the service for the next one.
func (s *Service) processTimersLocked() {
	if s.closed {
		return
	}
	for {
		s.dropStaleLocked()
		now := s.clock.Now()
		if s.timers.Len() == 0 || s.timers[0].at.After(now) {
			break
		}
		t := heap.Pop(&s.timers).(timer)
		s.fireLocked(t, now)
	}
	s.scheduleWakeLocked()
}

// scheduleWakeLocked asks the clock to wake the service for the earliest
// timer.
func (s *Service) scheduleWakeLocked() {
	if s.closed {
		return
	}
	s.dropStaleLocked()
	if s.timers.Len() == 0 {
		s.stopWakeLocked()
		return
	}
	at := s.timers[0].at
	if s.wakeStop != nil && s.wakeAt.Equal(at) {
		return
	}
	s.stopWakeLocked()
	s.wakeAt = at
	s.wakeGen++
	gen := s.wakeGen
	s.wakeStop = s.clock.AfterFunc(at.Sub(s.clock.Now()), func() { s.onWake(gen) })
}

func (s *Service) stopWakeLocked() {
	if s.wakeStop != nil {
		s.wakeStop()
		s.wakeStop = nil
	}
}

// onWake runs when the clock reaches the earliest timer.
func (s *Service) onWake(gen uint64) {
	s.mu.Lock()
	if gen == s.wakeGen {
		s.wakeStop = nil
	}
	s.processTimersLocked()
	s.mu.Unlock()
	s.settle()
}

// fireLocked applies a due, live timer.
func (s *Service) fireLocked(t timer, now time.Time) {
	e := s.execs[t.arn]
	if s.deferLocked(e, func() {
		if s.liveLocked(t) {
			s.fireLocked(t, s.clock.Now())
		}
	}) {
		return
	}
	if t.kind == timerRetention {
		s.evictLocked(e)
		return
	}
	if t.kind == timerExecution {
		s.endLocked(e, ExecutionTimedOut, nil, &checkpoint.ErrorObject{
			ErrorType:    "Execution.Timeout",
			ErrorMessage: "the execution exceeded its timeout of " + e.Timeout.String(),
		})
		return
	}
	o := e.index[t.id]
	switch t.kind {
	case timerRetry:
		o.Status = checkpoint.StatusReady
	case timerWait:
		o.Status = checkpoint.StatusSucceeded
		o.EndTimestamp = checkpoint.At(now)
		ev := opEvent(EventWaitSucceeded, o, now)
		ev.WaitSucceededDetails = &WaitSucceededDetails{Duration: int32(o.WaitDetails.ScheduledEndTimestamp.Sub(o.StartTimestamp.Time).Round(time.Second) / time.Second)}
		e.addEvent(ev)
	case timerCallbackTimeout, timerCallbackHeartbeat:
		eo := &checkpoint.ErrorObject{ErrorType: "Callback.Timeout", ErrorMessage: "the callback was not completed within its timeout"}
		if t.kind == timerCallbackHeartbeat {
			eo = &checkpoint.ErrorObject{ErrorType: "Callback.Heartbeat", ErrorMessage: "no heartbeat arrived within the callback's heartbeat timeout"}
		}
		o.Status = checkpoint.StatusTimedOut
		o.EndTimestamp = checkpoint.At(now)
		o.CallbackDetails.Error = eo
		delete(s.callbacks, o.CallbackDetails.CallbackId)
		ev := opEvent(EventCallbackTimedOut, o, now)
		ev.CallbackTimedOutDetails = &CallbackTimedOutDetails{Error: eventError(eo)}
		e.addEvent(ev)
	}
	e.touch(o.Id)
	e.markAsync(o.Id)
	s.triggerLocked(e)
	s.persistLocked(e)
}

// settle skips virtual time while the service is idle (WithTimeSkipping).
func (s *Service) settle() {
	sk, ok := s.clock.(timeSkipper)
	if !ok || s.cfg.skipping == SkipNever {
		return
	}
	s.mu.Lock()
	if s.skipping {
		s.mu.Unlock()
		return
	}
	s.skipping = true
	for {
		at, ok := s.skipTargetLocked()
		if !ok {
			break
		}
		s.mu.Unlock()
		sk.AdvanceTo(at)
		s.mu.Lock()
		s.processTimersLocked()
	}
	s.skipping = false
	s.notifyLocked()
	s.mu.Unlock()
}

// skipTargetLocked returns the time to jump to, if the service is idle.
func (s *Service) skipTargetLocked() (time.Time, bool) {
	if s.closed || s.running > 0 || len(s.queue) > 0 {
		return time.Time{}, false
	}
	for _, e := range s.order {
		if e.Status.Terminal() {
			continue
		}
		if e.runnable() && s.functions[e.FunctionName] != nil {
			return time.Time{}, false
		}
	}
	if s.cfg.skipping == SkipUnlessCallbacksOpen && len(s.callbacks) > 0 {
		return time.Time{}, false
	}
	return s.nextOpTimerLocked()
}

// nextOpTimerLocked returns the earliest live operation timer (wait, step
// retry, callback timeout); execution timeouts and evictions do not count.
func (s *Service) nextOpTimerLocked() (time.Time, bool) {
	var best time.Time
	found := false
	for _, t := range s.timers {
		if t.kind == timerExecution || t.kind == timerRetention || (found && !t.at.Before(best)) || !s.liveLocked(t) {
			continue
		}
		best, found = t.at, true
	}
	return best, found
}

// NextTimer returns when the earliest pending operation timer (a wait, a
// step retry, a callback timeout or heartbeat) fires, false if none.
// Execution timeouts do not count: time skipping never jumps to them.
func (s *Service) NextTimer() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextOpTimerLocked()
}
