package retry

import "time"

// Exponential returns a strategy that allows maxAttempts attempts in total,
// waiting initial before the first retry and doubling the delay after each
// one up to maxDelay, with full jitter. Out-of-range arguments are brought
// into range rather than rejected: maxAttempts below 1 means no retries, a
// negative initial is 0 and a maxDelay below initial is initial. Use New
// with a Config for another growth factor or jitter.
func Exponential(maxAttempts int, initial, maxDelay time.Duration) Strategy {
	initial = max(initial, 0)
	return mustNew(Config{
		MaxAttempts:  max(maxAttempts, 1),
		InitialDelay: initial,
		MaxDelay:     max(maxDelay, initial),
		Backoff:      2,
		Jitter:       JitterFull,
	})
}

// If returns a strategy that retries an error only when retryable reports
// true for it, and otherwise decides as s. It is the one-line form of
// Config.RetryIf for any strategy:
//
//	retry.Fixed(3, 10*time.Second).If(isThrottled)
//
// A nil retryable leaves s unchanged.
func (s Strategy) If(retryable func(error) bool) Strategy {
	if retryable == nil || s == nil {
		return s
	}
	return func(attempt int, err error) Decision {
		if !retryable(err) {
			return Decision{}
		}
		return s(attempt, err)
	}
}
