package retry_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/lambda-durable/durable/retry"
)

var errBoom = errors.New("boom")

func mustNew(t *testing.T, cfg retry.Config) retry.Strategy {
	t.Helper()
	s, err := retry.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return s
}

func fixedRand(f float64) func() float64 { return func() float64 { return f } }

func TestAttemptLimit(t *testing.T) {
	s := mustNew(t, retry.Config{MaxAttempts: 3, InitialDelay: time.Second, MaxDelay: time.Second, Backoff: 1})
	for attempt, want := range map[int]bool{1: true, 2: true, 3: false, 4: false} {
		if got := s(attempt, errBoom).Retry; got != want {
			t.Errorf("attempt %d: Retry = %v, want %v", attempt, got, want)
		}
	}
	one := mustNew(t, retry.Config{MaxAttempts: 1, Backoff: 1})
	if d := one(1, errBoom); d.Retry {
		t.Fatalf("MaxAttempts 1: %+v, want no retry", d)
	}
}

func TestBackoffGrowthAndCap(t *testing.T) {
	s := mustNew(t, retry.Config{MaxAttempts: 10, InitialDelay: 2 * time.Second, MaxDelay: 20 * time.Second, Backoff: 2})
	want := []time.Duration{2, 4, 8, 16, 20, 20, 20, 20, 20}
	for i, w := range want {
		d := s(i+1, errBoom)
		if !d.Retry || d.Delay != w*time.Second {
			t.Errorf("attempt %d: %+v, want retry after %v", i+1, d, w*time.Second)
		}
	}
}

func TestFractionalBackoffRoundsUp(t *testing.T) {
	s := mustNew(t, retry.Config{MaxAttempts: 10, InitialDelay: 5 * time.Second, MaxDelay: 5 * time.Minute, Backoff: 1.5})
	// 5, 7.5, 11.25, 16.875 -> rounded up.
	want := []time.Duration{5, 8, 12, 17}
	for i, w := range want {
		if d := s(i+1, errBoom); d.Delay != w*time.Second {
			t.Errorf("attempt %d: Delay = %v, want %v", i+1, d.Delay, w*time.Second)
		}
	}
}

func TestHugeAttemptNumberStaysCapped(t *testing.T) {
	s := mustNew(t, retry.Config{MaxAttempts: math.MaxInt, InitialDelay: time.Second, MaxDelay: retry.MaxDelayLimit * 2, Backoff: 10})
	if d := s(1_000_000, errBoom); !d.Retry || d.Delay != retry.MaxDelayLimit {
		t.Fatalf("%+v, want retry after %v", d, retry.MaxDelayLimit)
	}
	flat := mustNew(t, retry.Config{MaxAttempts: math.MaxInt, InitialDelay: 3 * time.Second, MaxDelay: time.Hour, Backoff: 1})
	if d := flat(1_000_000_000, errBoom); d.Delay != 3*time.Second {
		t.Fatalf("Backoff 1 at attempt 1e9: %+v, want 3s", d)
	}
}

func TestJitterBounds(t *testing.T) {
	base := retry.Config{MaxAttempts: 5, InitialDelay: 10 * time.Second, MaxDelay: 10 * time.Second, Backoff: 1}
	tests := []struct {
		jitter retry.Jitter
		r      float64
		want   time.Duration
	}{
		{retry.JitterNone, 0.3, 10 * time.Second},
		{retry.JitterFull, 0, time.Second}, // 0 s clamped to the 1 s minimum
		{retry.JitterFull, 0.25, 3 * time.Second},
		{retry.JitterFull, 0.999999, 10 * time.Second},
		{retry.JitterHalf, 0, 5 * time.Second},
		{retry.JitterHalf, 0.5, 8 * time.Second}, // 7.5 s rounded up
		{retry.JitterHalf, 0.999999, 10 * time.Second},
		{retry.JitterFull, -3, time.Second},     // a misbehaving source is clamped to [0, 1]
		{retry.JitterFull, 7, 10 * time.Second}, // likewise
		{retry.JitterHalf, math.NaN(), 5 * time.Second},
	}
	for _, tt := range tests {
		cfg := base
		cfg.Jitter, cfg.Rand = tt.jitter, fixedRand(tt.r)
		if d := mustNew(t, cfg)(1, errBoom); d.Delay != tt.want {
			t.Errorf("jitter %v, rand %v: Delay = %v, want %v", tt.jitter, tt.r, d.Delay, tt.want)
		}
	}
}

func TestJitterDefaultSourceStaysInBounds(t *testing.T) {
	s := mustNew(t, retry.Config{MaxAttempts: 2, InitialDelay: 10 * time.Second, MaxDelay: 10 * time.Second, Backoff: 1, Jitter: retry.JitterHalf})
	for range 1000 {
		if d := s(1, errBoom).Delay; d < 5*time.Second || d > 10*time.Second || d%time.Second != 0 {
			t.Fatalf("Delay = %v, want whole seconds in [5s, 10s]", d)
		}
	}
}

func TestRetryIf(t *testing.T) {
	errTransient := errors.New("transient")
	var seen []error
	s := mustNew(t, retry.Config{
		MaxAttempts: 5, InitialDelay: time.Second, MaxDelay: time.Second, Backoff: 1,
		RetryIf: func(err error) bool { seen = append(seen, err); return errors.Is(err, errTransient) },
	})
	if !s(1, errTransient).Retry {
		t.Fatal("transient error not retried")
	}
	if d := s(1, errBoom); d.Retry {
		t.Fatalf("filtered error: %+v, want no retry", d)
	}
	if len(seen) != 2 || seen[1] != errBoom {
		t.Fatalf("RetryIf saw %v", seen)
	}
	// The attempt limit wins without consulting the filter.
	seen = nil
	if s(5, errTransient).Retry || len(seen) != 0 {
		t.Fatalf("attempt 5 of 5 retried or consulted RetryIf (%v)", seen)
	}
}

func TestValidation(t *testing.T) {
	ok := retry.Config{MaxAttempts: 3, InitialDelay: time.Second, MaxDelay: 2 * time.Second, Backoff: 2}
	tests := []struct {
		field  string
		modify func(*retry.Config)
	}{
		{"MaxAttempts", func(c *retry.Config) { c.MaxAttempts = 0 }},
		{"MaxAttempts", func(c *retry.Config) { c.MaxAttempts = -1 }},
		{"InitialDelay", func(c *retry.Config) { c.InitialDelay = -time.Second }},
		{"MaxDelay", func(c *retry.Config) { c.InitialDelay = 0; c.MaxDelay = -time.Second }},
		{"MaxDelay", func(c *retry.Config) { c.MaxDelay = time.Millisecond }},
		{"Backoff", func(c *retry.Config) { c.Backoff = 0 }},
		{"Backoff", func(c *retry.Config) { c.Backoff = 0.5 }},
		{"Backoff", func(c *retry.Config) { c.Backoff = math.NaN() }},
		{"Backoff", func(c *retry.Config) { c.Backoff = math.Inf(1) }},
		{"Jitter", func(c *retry.Config) { c.Jitter = 9 }},
	}
	for _, tt := range tests {
		cfg := ok
		tt.modify(&cfg)
		s, err := retry.New(cfg)
		var ve *retry.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field || !errors.Is(err, retry.ErrInvalidConfig) || s != nil {
			t.Errorf("New(%+v) = %v, want a *ValidationError for %s", cfg, err, tt.field)
		}
	}
	if _, err := retry.New(ok); err != nil {
		t.Fatalf("New(valid) = %v", err)
	}
}

func TestPresets(t *testing.T) {
	d := retry.Default()
	for attempt := 1; attempt <= 5; attempt++ {
		dec := d(attempt, errBoom)
		if !dec.Retry || dec.Delay < time.Second || dec.Delay > 60*time.Second || dec.Delay%time.Second != 0 {
			t.Fatalf("Default attempt %d: %+v", attempt, dec)
		}
	}
	if d(6, errBoom).Retry {
		t.Fatal("Default retried after the 6th attempt")
	}
	c := retry.DefaultWaitForCondition()
	if !c(59, errBoom).Retry || c(60, errBoom).Retry {
		t.Fatal("DefaultWaitForCondition: want 60 attempts")
	}
	if dec := c(59, errBoom); dec.Delay > 5*time.Minute {
		t.Fatalf("DefaultWaitForCondition delay %v above 5 min", dec.Delay)
	}
	if retry.None()(1, errBoom).Retry {
		t.Fatal("None retried")
	}
	f := retry.Fixed(3, 1500*time.Millisecond)
	if dec := f(2, errBoom); !dec.Retry || dec.Delay != 2*time.Second {
		t.Fatalf("Fixed attempt 2: %+v, want retry after 2s", dec)
	}
	if f(3, errBoom).Retry {
		t.Fatal("Fixed(3) retried after attempt 3")
	}
	if retry.Fixed(0, time.Second)(1, errBoom).Retry {
		t.Fatal("Fixed(0) retried")
	}
	if dec := retry.Fixed(2, 0)(1, errBoom); dec.Delay != time.Second {
		t.Fatalf("Fixed(2, 0): %+v, want 1s", dec)
	}
}

func TestClamp(t *testing.T) {
	tests := []struct{ in, want time.Duration }{
		{-time.Hour, time.Second},
		{0, time.Second},
		{time.Nanosecond, time.Second},
		{time.Second, time.Second},
		{time.Second + time.Nanosecond, 2 * time.Second},
		{90 * time.Second, 90 * time.Second},
		{retry.MaxDelayLimit - time.Millisecond, retry.MaxDelayLimit},
		{retry.MaxDelayLimit + time.Hour, retry.MaxDelayLimit},
		{time.Duration(math.MaxInt64), retry.MaxDelayLimit},
	}
	for _, tt := range tests {
		if got := retry.Clamp(tt.in); got != tt.want {
			t.Errorf("Clamp(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := retry.DelaySeconds(retry.MaxDelayLimit * 3); got != 31_622_400 {
		t.Fatalf("DelaySeconds(max) = %d, want 31622400", got)
	}
	if got := retry.DelaySeconds(2500 * time.Millisecond); got != 3 {
		t.Fatalf("DelaySeconds(2.5s) = %d, want 3", got)
	}
}

func TestIfStopsOnUnretryableErrors(t *testing.T) {
	retryable := func(err error) bool { return !errors.Is(err, errBoom) }
	other := errors.New("other")
	for name, s := range map[string]retry.Strategy{
		"fixed":       retry.Fixed(4, 3*time.Second).If(retryable),
		"exponential": retry.Exponential(4, 3*time.Second, time.Minute).If(retryable),
		"default":     retry.Default().If(retryable), // 6 attempts
	} {
		last := 4
		if name == "default" {
			last = 6
		}
		if d := s(1, errBoom); d.Retry {
			t.Errorf("%s: %+v for an unretryable error, want no retry", name, d)
		}
		if d := s(1, other); !d.Retry || d.Delay < retry.MinDelay {
			t.Errorf("%s: %+v for a retryable error, want a retry", name, d)
		}
		if d := s(last, other); d.Retry {
			t.Errorf("%s: %+v after the last attempt, want no retry", name, d)
		}
	}
	if s := retry.Fixed(2, time.Second).If(nil); !s(1, errBoom).Retry {
		t.Fatal("If(nil) changed the strategy")
	}
}

func TestExponentialDoublesAndClampsArguments(t *testing.T) {
	s := retry.Exponential(6, 2*time.Second, 10*time.Second)
	// Full jitter: every delay lies in [MinDelay, un-jittered delay].
	for attempt, ceiling := range map[int]time.Duration{1: 2, 2: 4, 3: 8, 4: 10, 5: 10} {
		d := s(attempt, errBoom)
		if !d.Retry || d.Delay < retry.MinDelay || d.Delay > ceiling*time.Second {
			t.Errorf("attempt %d: %+v, want a retry within [1s, %v]", attempt, d, ceiling*time.Second)
		}
	}
	if d := s(6, errBoom); d.Retry {
		t.Errorf("attempt 6 of 6: %+v, want no retry", d)
	}
	if d := retry.Exponential(0, -time.Second, -time.Minute)(1, errBoom); d.Retry {
		t.Errorf("maxAttempts 0: %+v, want no retry", d)
	}
	if d := retry.Exponential(3, time.Minute, time.Second)(1, errBoom); !d.Retry || d.Delay > time.Minute {
		t.Errorf("maxDelay below initial: %+v, want a retry within a minute", d)
	}
}
