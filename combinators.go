package durable

import "github.com/lambda-durable/durable/internal/engine"

// The combinators wait on several futures and record their decision as one
// CONTEXT operation each (subtype All, AllSettled, Race or Any) named name,
// so that a replay returns the same outcome even if the futures now end in
// another order. Futures that are no longer needed (the losers of Race and
// Any, the rest after All fails) are cancelled (see Future.Cancel).

// AggregateError is Any's error when every future failed.
type AggregateError = engine.AggregateError

// Settled is the outcome of one future, as AllSettled reports it.
type Settled[T any] struct {
	// Value is the future's value when it succeeded.
	Value T
	// Err is the future's error when it failed.
	Err error
}

func handles[T any](fs []*Future[T]) []engine.Awaitable {
	out := make([]engine.Awaitable, len(fs))
	for i, f := range fs {
		if f != nil {
			out[i] = f.h
		}
	}
	return out
}

// All waits for every future and returns their values in order. It fails
// with the error of the first future to fail (in the order they ended, as
// recorded), and then cancels the futures still running.
func All[T any](ctx Context, name string, fs ...*Future[T]) ([]T, error) {
	idx, err := engine.Combine(ctx.engine(), name, engine.CombineAll, handles(fs))
	if err != nil {
		return nil, err
	}
	if idx >= 0 {
		_, ferr := fs[idx].Get()
		return nil, ferr
	}
	out := make([]T, len(fs))
	for i, f := range fs {
		if out[i], err = f.Get(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AllSettled waits for every future and returns each outcome in order. Its
// error is only for the combinator itself (an invalid future, a closed
// context).
func AllSettled[T any](ctx Context, name string, fs ...*Future[T]) ([]Settled[T], error) {
	if _, err := engine.Combine(ctx.engine(), name, engine.CombineAllSettled, handles(fs)); err != nil {
		return nil, err
	}
	out := make([]Settled[T], len(fs))
	for i, f := range fs {
		out[i].Value, out[i].Err = f.Get()
	}
	return out, nil
}

// Race waits for the first future to end and returns its index, value and
// error; the other futures are cancelled. Racing no future is a
// *ValidationError.
func Race[T any](ctx Context, name string, fs ...*Future[T]) (int, T, error) {
	var zero T
	idx, err := engine.Combine(ctx.engine(), name, engine.CombineRace, handles(fs))
	if err != nil {
		return -1, zero, err
	}
	v, err := fs[idx].Get()
	return idx, v, err
}

// Any waits for the first future to succeed and returns its index and
// value; the other futures are then cancelled. When every future fails it
// returns -1 and an *AggregateError holding their errors in order.
func Any[T any](ctx Context, name string, fs ...*Future[T]) (int, T, error) {
	var zero T
	idx, err := engine.Combine(ctx.engine(), name, engine.CombineAny, handles(fs))
	if err != nil {
		return -1, zero, err
	}
	if idx < 0 {
		errs := make([]error, len(fs))
		for i, f := range fs {
			_, errs[i] = f.Get()
		}
		return -1, zero, &AggregateError{Errors: errs}
	}
	v, err := fs[idx].Get()
	return idx, v, err
}
