// Package retry decides whether a failed durable step is tried again, and
// after how long.
//
// A Strategy is called after each failed attempt with the 1-based number of
// that attempt and its error. The delays it returns are whole seconds between
// MinDelay and MaxDelayLimit, the range the durable execution service accepts
// for a retry (Clamp applies this to any duration). Build a Strategy from a
// Config with New, or use the presets Default, None, Fixed and
// DefaultWaitForCondition.
package retry

import (
	"math"
	"time"
)

// Decision says whether to try again and after how long.
type Decision struct {
	// Retry is true when another attempt should run.
	Retry bool
	// Delay is how long to wait before it (whole seconds, at least MinDelay).
	Delay time.Duration
}

// Strategy decides after a failed attempt. attempt is 1-based: it is the
// number of the attempt that just failed.
type Strategy func(attempt int, err error) Decision

// The range of delays the service accepts for a retry or a wait.
const (
	// MinDelay is the shortest delay: one second.
	MinDelay = time.Second
	// MaxDelayLimit is the longest delay: 366 days (31,622,400 s).
	MaxDelayLimit = 366 * 24 * time.Hour
)

// Clamp rounds d up to whole seconds and limits it to [MinDelay,
// MaxDelayLimit].
func Clamp(d time.Duration) time.Duration {
	if d <= MinDelay {
		return MinDelay
	}
	if d >= MaxDelayLimit {
		return MaxDelayLimit
	}
	if r := d % time.Second; r != 0 {
		d += time.Second - r
	}
	return d
}

// DelaySeconds returns Clamp(d) as a whole number of seconds, the form the
// service's NextAttemptDelaySeconds and WaitSeconds fields take.
func DelaySeconds(d time.Duration) int32 {
	return int32(Clamp(d) / time.Second)
}

// Default returns the standard step strategy: 6 attempts in total, 5 s
// initial delay growing x2 up to 60 s, full jitter, every error retried.
func Default() Strategy {
	return mustNew(Config{MaxAttempts: 6, InitialDelay: 5 * time.Second, MaxDelay: 60 * time.Second, Backoff: 2, Jitter: JitterFull})
}

// DefaultWaitForCondition returns the standard polling strategy of a
// wait-for-condition: 60 attempts, 5 s growing x1.5 up to 5 min, full jitter.
func DefaultWaitForCondition() Strategy {
	return mustNew(Config{MaxAttempts: 60, InitialDelay: 5 * time.Second, MaxDelay: 5 * time.Minute, Backoff: 1.5, Jitter: JitterFull})
}

// None returns a strategy that never retries.
func None() Strategy {
	return func(int, error) Decision { return Decision{} }
}

// Fixed returns a strategy that allows maxAttempts attempts in total, waiting
// delay (clamped like every delay) before each retry. A maxAttempts below 1
// is treated as 1: no retries.
func Fixed(maxAttempts int, delay time.Duration) Strategy {
	d := Clamp(delay)
	return func(attempt int, _ error) Decision {
		if attempt >= maxAttempts {
			return Decision{}
		}
		return Decision{Retry: true, Delay: d}
	}
}

// mustNew builds a strategy from a Config known to be valid.
func mustNew(cfg Config) Strategy {
	s, err := New(cfg)
	if err != nil {
		// Only reachable if a preset above is edited into an invalid state.
		panic(err)
	}
	return s
}

// clamp01 keeps a random number inside [0, 1].
func clamp01(f float64) float64 {
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return min(f, 1)
}
