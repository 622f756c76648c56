// Package durabletest runs durable functions in-process against the local
// durable execution service, on a virtual clock: waits and retries take no
// real time, callbacks are answered by the test, other functions can be
// registered as chained-invoke targets, and histories can be compared with
// golden files.
//
// It works with any Function (the aws-lambda-go lambda.Handler shape), such
// as a *durable.Handler, and from plain main as well as from tests: nothing
// needs a *testing.T except the Assert helpers, which take the small TB
// interface that testing.TB satisfies.
//
//	r := durabletest.New(durable.NewHandler(workflow))
//	defer r.Close()
//	res, err := r.Run(ctx, input)
package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// Function is what the runner invokes: the aws-lambda-go lambda.Handler
// shape. *durable.Handler satisfies it.
type Function = local.Function

// ErrNothingToRun is returned by RunInvocation when no invocation is due and
// no timer can make one due.
var ErrNothingToRun = errors.New("durabletest: nothing to run: the execution is done or waits for something external")

// ErrNotStarted is returned by calls that need an execution before Start or Run.
var ErrNotStarted = errors.New("durabletest: no execution started")

// DefaultFunctionName is the name the main function is registered under.
const DefaultFunctionName = "workflow"

// Option configures a Runner.
type Option interface{ apply(*options) }

// optionFunc adapts a function to Option.
type optionFunc func(*options)

func (f optionFunc) apply(t *options) { f(t) }

type options struct {
	name      string
	start     time.Time
	timeout   time.Duration
	service   []local.Option
	functions []registration
	crashes   []Crash
}

type registration struct {
	name  string
	fn    Function
	plain bool
}

// WithFunctionName registers the main function under name instead of
// DefaultFunctionName.
func WithFunctionName(name string) Option { return optionFunc(func(o *options) { o.name = name }) }

// WithStartTime sets the virtual clock's start (default 2025-01-01T00:00:00Z).
func WithStartTime(t time.Time) Option { return optionFunc(func(o *options) { o.start = t }) }

// DefaultExecutionTimeout is the timeout of the executions a Runner starts
// unless WithExecutionTimeout says otherwise: the longest the service allows
// (366 days), so that a workflow's own waits and callback timeouts decide
// what happens in a test, not the runner. Set the timeout your function is
// deployed with to test what happens when it runs out.
const DefaultExecutionTimeout = 366 * 24 * time.Hour

// WithExecutionTimeout sets the timeout of the executions Run starts
// (default DefaultExecutionTimeout).
func WithExecutionTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) { o.timeout = d })
}

// WithServiceOptions passes options to the local service (limits, retry
// budget, logger, API hook, ...). Clock and invocation mode are the runner's.
func WithServiceOptions(opts ...local.Option) Option {
	return optionFunc(func(o *options) { o.service = append(o.service, opts...) })
}

// WithFunction registers another durable function, as a chained-invoke target.
func WithFunction(name string, fn Function) Option {
	return optionFunc(func(o *options) { o.functions = append(o.functions, registration{name: name, fn: fn}) })
}

// WithPlainFunction registers a plain (non-durable) function, as a
// chained-invoke target: it gets the raw payload and returns the raw result.
func WithPlainFunction(name string, fn Function) Option {
	return optionFunc(func(o *options) { o.functions = append(o.functions, registration{name: name, fn: fn, plain: true}) })
}

// Runner drives one durable function (and the functions it invokes) on an
// in-process service with a virtual clock. Invocations run one at a time in
// the goroutine that calls Run, Resume or RunInvocation. A Runner is safe for
// use by one goroutine at a time.
type Runner struct {
	svc     *local.Service
	clock   *local.VirtualClock
	name    string
	timeout time.Duration
	arn     string
	err     error    // a registration error, reported by Start
	crash   *crasher // set by WithCrash
}

// New returns a Runner for fn. Release it with Close.
func New(fn Function, opts ...Option) *Runner {
	o := options{name: DefaultFunctionName, timeout: DefaultExecutionTimeout}
	for _, opt := range opts {
		opt.apply(&o)
	}
	clock := local.NewVirtualClock(o.start)
	svcOpts := append(append([]local.Option(nil), o.service...),
		local.WithClock(clock), local.WithManualInvocations(), local.WithTimeSkipping(local.SkipNever))
	r := &Runner{svc: local.New(svcOpts...), clock: clock, name: o.name, timeout: o.timeout}
	if len(o.crashes) > 0 && fn != nil {
		r.crash = &crasher{pending: o.crashes, names: map[string]string{}}
		fn = r.crash.function(fn)
	}
	r.err = r.svc.RegisterFunction(o.name, fn)
	for _, f := range o.functions {
		if err := r.register(f); err != nil && r.err == nil {
			r.err = err
		}
	}
	return r
}

func (r *Runner) register(f registration) error {
	if f.plain {
		return r.svc.RegisterFunction(f.name, f.fn, local.NonDurable())
	}
	return r.svc.RegisterFunction(f.name, f.fn)
}

// Register adds a durable function, as a chained-invoke target.
func (r *Runner) Register(name string, fn Function) error {
	return r.register(registration{name: name, fn: fn})
}

// RegisterPlain adds a plain (non-durable) function, as a chained-invoke target.
func (r *Runner) RegisterPlain(name string, fn Function) error {
	return r.register(registration{name: name, fn: fn, plain: true})
}

// Close releases the service.
func (r *Runner) Close() error { return r.svc.Close() }

// Service returns the underlying local service (for inspection).
func (r *Runner) Service() *local.Service { return r.svc }

// Now returns the virtual time.
func (r *Runner) Now() time.Time { return r.clock.Now() }

// ExecutionARN returns the ARN of the execution Start or Run started.
func (r *Runner) ExecutionARN() string { return r.arn }

// Start starts an execution of the main function without running it. The
// input is JSON-encoded, except []byte and json.RawMessage, which are taken
// as JSON text (nil means no input).
func (r *Runner) Start(ctx context.Context, input any) error {
	if r.err != nil {
		return r.err
	}
	raw, err := encodeInput(input)
	if err != nil {
		return err
	}
	arn, err := r.svc.StartExecution(ctx, local.StartInput{FunctionName: r.name, Input: raw, Async: true, Timeout: r.timeout})
	if err != nil {
		return fmt.Errorf("durabletest: starting the execution: %w", err)
	}
	r.arn = arn
	return nil
}

func encodeInput(input any) ([]byte, error) {
	switch v := input.(type) {
	case nil:
		return nil, nil
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	}
	b, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("durabletest: encoding the input: %w", err)
	}
	return b, nil
}

// Run starts an execution with input and runs it until it ends or waits on
// the outside world; see Resume.
func (r *Runner) Run(ctx context.Context, input any) (*Result, error) {
	if err := r.Start(ctx, input); err != nil {
		return nil, err
	}
	return r.Resume(ctx)
}

// Resume runs the due invocations and skips time to the next timer (a
// wait, a step retry, a callback timeout, ...) until the execution ends or
// waits on the outside world, and returns the Result then (Status RUNNING
// if it waits). It waits on the outside world when:
//
//   - a callback is open whose id was handed out: one made by
//     CreateCallback, or one of a WaitForCallback whose submitter has
//     succeeded. Time then stands still, even if other timers are set, so
//     that the test answers first (SendCallbackSuccess, ...) or lets the
//     callback time out with Advance;
//   - or nothing is due and no timer is set.
//
// A WaitForCallback whose submitter failed and waits for its retry does not
// stop Resume: the retry delay is skipped, the submitter runs again and
// hands the id out (Callback finds it by the WaitForCallback's name).
func (r *Runner) Resume(ctx context.Context) (*Result, error) {
	if r.arn == "" {
		return nil, ErrNotStarted
	}
	for {
		ran, err := r.drain(ctx)
		if err != nil {
			return nil, err
		}
		res := r.Result()
		if res.Status.Terminal() {
			return res, nil
		}
		if r.callbackHandedOut() {
			return res, nil
		}
		next, ok := r.svc.NextTimer()
		if !ok {
			if ran {
				continue
			}
			return res, nil
		}
		r.clock.AdvanceTo(next)
	}
}

// drain runs every queued invocation.
func (r *Runner) drain(ctx context.Context) (bool, error) {
	ran := false
	for {
		_, ok, err := r.svc.RunNextInvocation(ctx)
		if err != nil || !ok {
			return ran, err
		}
		ran = true
	}
}

// RunInvocation runs exactly one invocation (of the main execution or of a
// chained-invoke target). If none is due it first skips time to the next
// timer; if that makes none due either, it returns ErrNothingToRun.
func (r *Runner) RunInvocation(ctx context.Context) (*local.InvocationResult, error) {
	if r.arn == "" {
		return nil, ErrNotStarted
	}
	if r.svc.QueuedInvocations() == 0 {
		if next, ok := r.svc.NextTimer(); ok {
			r.clock.AdvanceTo(next)
		}
	}
	res, ok, err := r.svc.RunNextInvocation(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNothingToRun
	}
	return res, nil
}

// Advance moves the virtual clock forward by d, firing the timers due by
// then (waits end, retries become ready, callbacks time out). The
// invocations this makes due run at the next Resume or RunInvocation.
func (r *Runner) Advance(d time.Duration) { r.clock.Advance(d) }

// Result describes the execution now.
func (r *Runner) Result() *Result {
	if r.arn == "" {
		return &Result{}
	}
	out, err := r.svc.GetExecution(context.Background(), &local.GetExecutionInput{DurableExecutionArn: r.arn})
	if err != nil {
		return &Result{ExecutionARN: r.arn}
	}
	res := &Result{ExecutionARN: r.arn, Status: out.Status, Error: out.Error}
	if out.Result != nil {
		res.Result = *out.Result
	}
	return res
}

// Result is the state of an execution.
type Result struct {
	ExecutionARN string
	// Status is RUNNING while the execution waits (for a callback, or
	// because RunInvocation or Advance stopped early), else terminal.
	Status local.ExecutionStatus
	// Result is the JSON text the execution returned (SUCCEEDED).
	Result string
	// Error is why the execution FAILED, TIMED_OUT or STOPPED.
	Error *checkpoint.ErrorObject
}

// Done reports whether the execution has ended.
func (r *Result) Done() bool { return r.Status.Terminal() }

// Decode unmarshals the JSON result into v.
func (r *Result) Decode(v any) error {
	if r.Status != local.ExecutionSucceeded {
		return fmt.Errorf("durabletest: the execution is %s, not SUCCEEDED", r.Status)
	}
	if err := json.Unmarshal([]byte(r.Result), v); err != nil {
		return fmt.Errorf("durabletest: decoding the result: %w", err)
	}
	return nil
}
