// Package durable is a stub of the SDK's public API for the analyzers'
// tests: the signatures that matter to durablelint, no behaviour.
package durable

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

type Context interface {
	context.Context
	Logger() *slog.Logger
}

type StepContext interface {
	context.Context
	Logger() *slog.Logger
}

type Future[T any] struct{ v T }

func (f *Future[T]) Get() (T, error) { return f.v, nil }

type BatchResult[O any] struct{}

type Branch[O any] struct{}

type StepOption interface{}

func Step[T any](ctx Context, name string, fn func(StepContext) (T, error), opts ...StepOption) (T, error) {
	var zero T
	return zero, nil
}

func StepAsync[T any](ctx Context, name string, fn func(StepContext) (T, error), opts ...StepOption) *Future[T] {
	return nil
}

func Wait(ctx Context, name string, d time.Duration) error { return nil }

func RunInChildContext[T any](ctx Context, name string, fn func(Context) (T, error)) (T, error) {
	var zero T
	return zero, nil
}

func Map[I, O any](ctx Context, name string, items []I, fn func(ctx Context, index int, item I) (O, error)) (*BatchResult[O], error) {
	return nil, nil
}

func Branches[O any](fns ...func(ctx Context) (O, error)) []Branch[O] { return nil }

func Parallel[O any](ctx Context, name string, branches []Branch[O]) (*BatchResult[O], error) {
	return nil, nil
}

func WaitForCallback[T any](ctx Context, name string, submitter func(sc StepContext, callbackID string) error) (T, error) {
	var zero T
	return zero, nil
}

func WaitForCondition[S any](ctx Context, name string, check func(sc StepContext, state S) (S, error)) (S, error) {
	var zero S
	return zero, nil
}

func Invoke[O any](ctx Context, name, functionName string, input any) (O, error) {
	var zero O
	return zero, nil
}

func All[T any](ctx Context, name string, fs ...*Future[T]) ([]T, error) { return nil, nil }

func ExecutionStartTime(ctx Context) time.Time { return time.Time{} }

func Now(ctx Context) (time.Time, error) { return time.Time{}, nil }

func UUID(ctx Context) string { return "" }

func Rand(ctx Context) *rand.Rand { return nil }

func NewHandler[I, O any](fn func(ctx Context, input I) (O, error)) {}
