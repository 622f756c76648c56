package retry

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Jitter spreads retry delays so that many failing executions do not retry
// in lockstep.
type Jitter int

// The jitter modes.
const (
	// JitterNone uses the computed delay as is.
	JitterNone Jitter = iota
	// JitterFull picks a delay uniformly in [0, computed delay] (then at
	// least MinDelay).
	JitterFull
	// JitterHalf picks a delay uniformly in [computed/2, computed].
	JitterHalf
)

// String returns the mode's name.
func (j Jitter) String() string {
	switch j {
	case JitterNone:
		return "none"
	case JitterFull:
		return "full"
	case JitterHalf:
		return "half"
	}
	return fmt.Sprintf("Jitter(%d)", int(j))
}

// Config describes an exponential-backoff strategy. The delay before retry n
// (n = the attempt that failed) is InitialDelay * Backoff^(n-1), capped at
// MaxDelay, then jittered, rounded up to whole seconds and clamped to
// [MinDelay, MaxDelayLimit].
type Config struct {
	// MaxAttempts is the total number of attempts, the first included (>= 1).
	MaxAttempts int
	// InitialDelay is the delay before the first retry (>= 0).
	InitialDelay time.Duration
	// MaxDelay caps the computed delay (>= InitialDelay).
	MaxDelay time.Duration
	// Backoff multiplies the delay after each retry (>= 1).
	Backoff float64
	// Jitter selects how the delay is randomised.
	Jitter Jitter
	// RetryIf reports whether an error is worth retrying; nil retries every
	// error.
	RetryIf func(error) bool
	// Rand returns a number in [0, 1) for jitter; nil uses math/rand/v2.
	// Tests inject a fixed source here.
	Rand func() float64
}

// ErrInvalidConfig is wrapped by every *ValidationError.
var ErrInvalidConfig = errors.New("retry: invalid config")

// ValidationError reports a Config field with an unusable value.
type ValidationError struct {
	// Field is the Config field name, e.g. "MaxAttempts".
	Field string
	// Value is the rejected value.
	Value any
	// Reason says what was expected.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("retry: invalid config: %s = %v: %s", e.Field, e.Value, e.Reason)
}

// Unwrap returns ErrInvalidConfig.
func (e *ValidationError) Unwrap() error { return ErrInvalidConfig }

// Validate reports the first unusable field of c as a *ValidationError.
func (c Config) Validate() error {
	switch {
	case c.MaxAttempts < 1:
		return &ValidationError{"MaxAttempts", c.MaxAttempts, "must be at least 1"}
	case c.InitialDelay < 0:
		return &ValidationError{"InitialDelay", c.InitialDelay, "must not be negative"}
	case c.MaxDelay < 0:
		return &ValidationError{"MaxDelay", c.MaxDelay, "must not be negative"}
	case c.MaxDelay < c.InitialDelay:
		return &ValidationError{"MaxDelay", c.MaxDelay, fmt.Sprintf("must be at least InitialDelay (%v)", c.InitialDelay)}
	case !(c.Backoff >= 1) || math.IsInf(c.Backoff, 0):
		return &ValidationError{"Backoff", c.Backoff, "must be a finite number >= 1"}
	case c.Jitter < JitterNone || c.Jitter > JitterHalf:
		return &ValidationError{"Jitter", c.Jitter, "must be JitterNone, JitterFull or JitterHalf"}
	}
	return nil
}

// New validates cfg and returns the strategy it describes.
func New(cfg Config) (Strategy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	random := cfg.Rand
	if random == nil {
		random = rand.Float64
	}
	return func(attempt int, err error) Decision {
		if attempt >= cfg.MaxAttempts {
			return Decision{}
		}
		if cfg.RetryIf != nil && !cfg.RetryIf(err) {
			return Decision{}
		}
		d := cfg.interval(attempt)
		switch cfg.Jitter {
		case JitterFull:
			d = time.Duration(float64(d) * clamp01(random()))
		case JitterHalf:
			d = d/2 + time.Duration(float64(d-d/2)*clamp01(random()))
		}
		return Decision{Retry: true, Delay: Clamp(d)}
	}, nil
}

// interval is the un-jittered delay after the given failed attempt. It uses
// backoff's overflow-safe, capped exponential schedule without its own
// randomisation or elapsed-time limit.
func (c Config) interval(attempt int) time.Duration {
	b := backoff.ExponentialBackOff{
		InitialInterval: c.InitialDelay,
		Multiplier:      c.Backoff,
		MaxInterval:     c.MaxDelay,
		Stop:            backoff.Stop,
		Clock:           fixedClock{},
	}
	b.Reset()
	d := b.NextBackOff()
	for i := 1; i < attempt; i++ {
		next := b.NextBackOff()
		if next == d { // reached MaxDelay, or Backoff is 1
			break
		}
		d = next
	}
	return d
}

// fixedClock keeps backoff's elapsed-time bookkeeping off the wall clock.
type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Time{} }
