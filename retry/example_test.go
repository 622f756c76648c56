package retry_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable/retry"
)

var errPermanent = errors.New("card declined")

func ExampleNew() {
	s, err := retry.New(retry.Config{
		MaxAttempts:  4,
		InitialDelay: 2 * time.Second,
		MaxDelay:     10 * time.Second,
		Backoff:      3,
		RetryIf:      func(err error) bool { return !errors.Is(err, errPermanent) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for attempt := 1; attempt <= 4; attempt++ {
		fmt.Printf("%d: %+v\n", attempt, s(attempt, errors.New("timeout")))
	}
	fmt.Printf("declined: %+v\n", s(1, errPermanent))
	// Output:
	// 1: {Retry:true Delay:2s}
	// 2: {Retry:true Delay:6s}
	// 3: {Retry:true Delay:10s}
	// 4: {Retry:false Delay:0s}
	// declined: {Retry:false Delay:0s}
}

func ExampleNew_invalid() {
	_, err := retry.New(retry.Config{MaxAttempts: 3, InitialDelay: time.Minute, MaxDelay: time.Second, Backoff: 2})
	fmt.Println(err)
	fmt.Println(errors.Is(err, retry.ErrInvalidConfig))
	// Output:
	// retry: invalid config: MaxDelay = 1s: must be at least InitialDelay (1m0s)
	// true
}

func ExampleFixed() {
	s := retry.Fixed(3, 30*time.Second)
	fmt.Println(s(1, nil), s(3, nil))
	// Output: {true 30s} {false 0s}
}

var errThrottled = errors.New("throttled")

// A retry condition is one line on any preset: here three attempts ten
// seconds apart, for throttling errors only.
func ExampleStrategy_If() {
	s := retry.Fixed(3, 10*time.Second).If(func(err error) bool { return errors.Is(err, errThrottled) })
	fmt.Println(s(1, errThrottled), s(1, errPermanent), s(3, errThrottled))
	// Output: {true 10s} {false 0s} {false 0s}
}

func ExampleExponential() {
	s := retry.Exponential(5, 2*time.Second, time.Minute).If(func(err error) bool { return !errors.Is(err, errPermanent) })
	d := s(1, errThrottled)
	fmt.Println(d.Retry, d.Delay >= retry.MinDelay && d.Delay <= 2*time.Second)
	fmt.Println(s(1, errPermanent).Retry, s(5, errThrottled).Retry)
	// Output:
	// true true
	// false false
}
