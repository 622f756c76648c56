package local

import (
	"context"
	"slices"
	"time"
)

// DefaultRetention is how long an ended execution is kept when neither the
// function nor the service sets a retention period: the real service's
// default RetentionPeriodInDays of 14.
const DefaultRetention = 14 * 24 * time.Hour

// WithRetention sets how long the service keeps an ended execution (its
// record, history and store entries) for functions registered without
// WithRetentionPeriod. Default DefaultRetention; d <= 0 keeps the default.
// Eviction follows the service's clock, virtual clocks included; time
// skipping never jumps ahead to an eviction.
func WithRetention(d time.Duration) Option {
	return optionFunc(func(cfg *config) {
		if d > 0 {
			cfg.retention = d
		}
	})
}

// WithMaxExecutions caps the executions the service keeps: when a new
// execution would make more than n, the oldest ended ones are evicted
// (running executions never are, so a service full of running executions
// keeps them all). n <= 0 means no cap (the default).
func WithMaxExecutions(n int) Option {
	return optionFunc(func(cfg *config) { cfg.maxExecutions = max(n, 0) })
}

// WithRetentionPeriod sets how long the executions of the function are kept
// after they end: the function's DurableConfig.RetentionPeriodInDays (1 to
// 90 days in the real service; any positive duration here). d <= 0 keeps
// the service's retention (WithRetention).
func WithRetentionPeriod(d time.Duration) FunctionOption {
	return functionOptionFunc(func(cfg *functionConfig) {
		if d > 0 {
			cfg.retention = d
		}
	})
}

// retentionOf returns how long executions of f are kept after they end.
func (s *Service) retentionOf(f *function) time.Duration {
	if f.cfg.retention > 0 {
		return f.cfg.retention
	}
	return s.cfg.retention
}

// retentionDays is the RetentionPeriodInDays GetDurableExecution reports.
func retentionDays(d time.Duration) int32 {
	return int32((d + 24*time.Hour - 1) / (24 * time.Hour))
}

// expiry returns when the ended execution e is evicted.
func (e *execution) expiry() time.Time { return e.EndTime.Add(e.Retention) }

// armRetentionLocked schedules the eviction of the ended execution e.
func (s *Service) armRetentionLocked(e *execution) {
	if e.Retention <= 0 {
		e.Retention = s.cfg.retention
	}
	s.addTimerLocked(e.expiry(), e.Arn, "", timerRetention)
	s.scheduleWakeLocked()
}

// evictLocked removes the ended execution e from the service and the
// store. If the store refuses, e stays (memory and store keep agreeing) and
// the eviction is tried again a minute later.
func (s *Service) evictLocked(e *execution) {
	if s.cfg.store != nil && !s.closed {
		if err := s.cfg.store.Delete(context.Background(), e.Arn); err != nil {
			s.log.Error("local: evicting an ended execution failed; retrying in a minute", "arn", e.Arn, "err", err)
			s.addTimerLocked(s.clock.Now().Add(time.Minute), e.Arn, "", timerRetention)
			s.scheduleWakeLocked()
			return
		}
	}
	s.forgetLocked(e)
}

// forgetLocked drops e from memory.
func (s *Service) forgetLocked(e *execution) {
	if s.execs[e.Arn] != e {
		return
	}
	delete(s.execs, e.Arn)
	if i := slices.Index(s.order, e); i >= 0 {
		s.order = slices.Delete(s.order, i, i+1)
	}
	s.dropTokensLocked(e)
	for id, ref := range s.callbacks {
		if ref.arn == e.Arn {
			delete(s.callbacks, id)
		}
	}
	delete(s.unsaved, e)
}

// evictOverCapLocked evicts the oldest ended executions while the service
// keeps more than WithMaxExecutions.
func (s *Service) evictOverCapLocked() {
	limit := s.cfg.maxExecutions
	if limit <= 0 || len(s.execs) <= limit {
		return
	}
	var old []*execution
	for _, e := range s.order {
		if len(s.execs)-len(old) <= limit {
			break
		}
		if e.Status.Terminal() {
			old = append(old, e)
		}
	}
	for _, e := range old {
		s.evictLocked(e)
	}
}
