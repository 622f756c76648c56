// Package local is an in-process implementation of the AWS Lambda durable
// execution service: executions, operations, checkpoint tokens, timers,
// callbacks, chained invokes, history events and limits, as the service
// contract describes them.
//
// A Service drives registered Go functions (anything with the
// aws-lambda-go lambda.Handler shape, such as *durable.Handler) with the
// real invocation event bytes. It is the core behind the durabletest package
// (in-process, virtual time) and the HTTP front in local/httpapi.
package local

import (
	"context"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Function is a Lambda function the service can invoke: the aws-lambda-go
// lambda.Handler shape. *durable.Handler satisfies it.
type Function interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// FunctionFunc adapts a plain func to Function.
type FunctionFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke calls f.
func (f FunctionFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// FunctionOption configures a registered function.
type FunctionOption interface{ apply(*functionConfig) }

// functionOptionFunc adapts a function to FunctionOption.
type functionOptionFunc func(*functionConfig)

func (f functionOptionFunc) apply(t *functionConfig) { f(t) }

// NonDurable registers a plain (non-durable) function: it receives the raw
// input and its raw output is the result. Chained invokes of such a target
// call it once instead of starting a durable execution.
func NonDurable() FunctionOption {
	return functionOptionFunc(func(c *functionConfig) { c.plain = true })
}

// WithoutContextClient stops the service from placing its in-process
// checkpoint.Client in the invocation context (checkpoint.ContextWithClient).
// Use it when the function talks to the service through another client, for
// example a real Lambda client pointed at the HTTP front.
func WithoutContextClient() FunctionOption {
	return functionOptionFunc(func(c *functionConfig) { c.noContextClient = true })
}

// WithFunctionTimeout bounds each invocation of the function (the Lambda
// function timeout). The invocation context gets that deadline in real time.
// Zero means no deadline.
func WithFunctionTimeout(d time.Duration) FunctionOption {
	return functionOptionFunc(func(c *functionConfig) { c.invokeTimeout = d })
}

// WithDefaultExecutionTimeout sets the execution timeout used when
// StartInput.Timeout is zero (the function's DurableConfig.ExecutionTimeout).
func WithDefaultExecutionTimeout(d time.Duration) FunctionOption {
	return functionOptionFunc(func(c *functionConfig) { c.execTimeout = d })
}

// WithQualifier sets the version or alias recorded in execution ARNs of the
// function (default "$LATEST").
func WithQualifier(q string) FunctionOption {
	return functionOptionFunc(func(c *functionConfig) { c.qualifier = q })
}

// Option configures a Service.
type Option interface{ apply(*config) }

// optionFunc adapts a function to Option.
type optionFunc func(*config)

func (f optionFunc) apply(t *config) { f(t) }

// WithClock sets the clock (default: the real clock).
func WithClock(c Clock) Option { return optionFunc(func(cfg *config) { cfg.clock = c }) }

// WithStore sets the persistent store (default: none; executions live in
// memory only). New resumes the unfinished executions the store holds.
func WithStore(s Store) Option { return optionFunc(func(cfg *config) { cfg.store = s }) }

// WithLimits replaces the limits (start from DefaultLimits).
func WithLimits(l Limits) Option { return optionFunc(func(cfg *config) { cfg.limits = l }) }

// WithInvokeRetryBudget sets how many consecutive failed invocations (the
// function returned an error, panicked or returned an invalid response) are
// retried before the execution fails. Default 3.
func WithInvokeRetryBudget(n int) Option {
	return optionFunc(func(cfg *config) { cfg.retryBudget = n })
}

// WithLogger sets the logger for the service's own diagnostics.
func WithLogger(l *slog.Logger) Option { return optionFunc(func(cfg *config) { cfg.logger = l }) }

// WithAccount sets the region and account id used in ARNs (default
// us-east-1 and 123456789012).
func WithAccount(region, account string) Option {
	return optionFunc(func(cfg *config) { cfg.region, cfg.account = region, account })
}

// WithManualInvocations stops the service from invoking functions by itself:
// triggered invocations queue up until RunNextInvocation runs them, one at a
// time, in the caller's goroutine. The durabletest runner uses it to step
// through an execution deterministically.
func WithManualInvocations() Option { return optionFunc(func(cfg *config) { cfg.manual = true }) }

// WithTimeSkipping makes a service running on a *VirtualClock jump the clock
// to the next due timer whenever nothing else can progress (no invocation
// running and none queued). See TimeSkipping for the policies.
func WithTimeSkipping(p TimeSkipping) Option {
	return optionFunc(func(cfg *config) { cfg.skipping = p })
}

// WithAPIHook installs a hook called at the start of every API call with the
// operation name (e.g. "CheckpointDurableExecution") and the execution ARN or
// callback id. A non-nil error, typically an *APIError such as
// ErrTooManyRequests, fails the call; use it to simulate throttling or faults.
func WithAPIHook(h func(ctx context.Context, op, resource string) error) Option {
	return optionFunc(func(cfg *config) { cfg.hook = h })
}

// TimeSkipping is the policy of a service on a virtual clock.
type TimeSkipping int

// The time-skipping policies.
const (
	// SkipNever leaves the virtual clock alone: only VirtualClock.Advance
	// moves time.
	SkipNever TimeSkipping = iota
	// SkipWhenIdle jumps to the next timer (wait, retry, callback timeout,
	// execution timeout) whenever nothing else can progress.
	SkipWhenIdle
	// SkipUnlessCallbacksOpen is SkipWhenIdle, except that time stands
	// still while any callback is open, so that an external answer gets the
	// chance to arrive before a callback timeout fires.
	SkipUnlessCallbacksOpen
)

// StartInput starts an execution.
type StartInput struct {
	// FunctionName is a registered function's name or ARN.
	FunctionName string
	// ExecutionName is the execution's name; empty generates one.
	ExecutionName string
	// Input is the execution input as JSON text; empty means no input.
	Input []byte
	// Async returns as soon as the execution is started. Otherwise
	// StartExecution waits until the execution ends (or ctx is done).
	Async bool
	// Timeout is the execution timeout; zero uses the function's default
	// (24 hours unless set with WithDefaultExecutionTimeout).
	Timeout time.Duration
	// TenantId is recorded with the execution (chained invokes pass theirs).
	TenantId string
}

// ExecutionStatus is the state of a durable execution.
type ExecutionStatus string

// The execution statuses.
const (
	ExecutionRunning   ExecutionStatus = "RUNNING"
	ExecutionSucceeded ExecutionStatus = "SUCCEEDED"
	ExecutionFailed    ExecutionStatus = "FAILED"
	ExecutionTimedOut  ExecutionStatus = "TIMED_OUT"
	ExecutionStopped   ExecutionStatus = "STOPPED"
)

// Terminal reports whether s is a final status.
func (s ExecutionStatus) Terminal() bool { return s != ExecutionRunning && s != "" }

// Execution summarises one durable execution (lambda types.Execution).
type Execution struct {
	DurableExecutionArn  string          `json:"DurableExecutionArn"`
	DurableExecutionName string          `json:"DurableExecutionName"`
	FunctionArn          string          `json:"FunctionArn"`
	Status               ExecutionStatus `json:"Status"`
	StartTimestamp       time.Time       `json:"StartTimestamp"`
	EndTimestamp         time.Time       `json:"EndTimestamp,omitzero"`
}

// GetExecutionInput is a GetDurableExecution request.
type GetExecutionInput struct {
	DurableExecutionArn string
	// IncludeExecutionData includes input, result and error; nil means true.
	IncludeExecutionData *bool
}

// DurableConfig is the durable configuration an execution ran with.
type DurableConfig struct {
	ExecutionTimeout      int32 `json:"ExecutionTimeout,omitempty"`
	RetentionPeriodInDays int32 `json:"RetentionPeriodInDays,omitempty"`
}

// GetExecutionOutput is the answer to GetDurableExecution.
type GetExecutionOutput struct {
	DurableExecutionArn   string                  `json:"DurableExecutionArn"`
	DurableExecutionName  string                  `json:"DurableExecutionName"`
	FunctionArn           string                  `json:"FunctionArn"`
	Status                ExecutionStatus         `json:"Status"`
	StartTimestamp        time.Time               `json:"StartTimestamp"`
	EndTimestamp          time.Time               `json:"EndTimestamp,omitzero"`
	InputPayload          *string                 `json:"InputPayload,omitempty"`
	Result                *string                 `json:"Result,omitempty"`
	Error                 *checkpoint.ErrorObject `json:"Error,omitempty"`
	ExecutionDataIncluded bool                    `json:"ExecutionDataIncluded"`
	Version               string                  `json:"Version,omitempty"`
	DurableConfig         *DurableConfig          `json:"DurableConfig,omitempty"`
}

// GetHistoryInput is a GetDurableExecutionHistory request.
type GetHistoryInput struct {
	DurableExecutionArn string
	// IncludeExecutionData includes payloads in events; nil means true.
	IncludeExecutionData *bool
	Marker               string
	// MaxItems is the page size: 0 means 100, at most 1000.
	MaxItems     int
	ReverseOrder bool
}

// GetHistoryOutput is one page of history events.
type GetHistoryOutput struct {
	Events     []Event `json:"Events"`
	NextMarker string  `json:"NextMarker,omitempty"`
}

// ListExecutionsInput is a ListDurableExecutionsByFunction request.
type ListExecutionsInput struct {
	// FunctionName is the function's name or ARN (a qualifier in the ARN
	// filters like Qualifier).
	FunctionName         string
	DurableExecutionName string
	Qualifier            string
	Statuses             []ExecutionStatus
	StartedAfter         time.Time
	StartedBefore        time.Time
	Marker               string
	// MaxItems is the page size: 0 means 100, at most 1000.
	MaxItems int
	// ReverseOrder returns the oldest first (the default is newest first).
	ReverseOrder bool
}

// ListExecutionsOutput is one page of executions.
type ListExecutionsOutput struct {
	DurableExecutions []Execution `json:"DurableExecutions"`
	NextMarker        string      `json:"NextMarker,omitempty"`
}

// SendCallbackSuccessInput is a SendDurableExecutionCallbackSuccess request.
type SendCallbackSuccessInput struct {
	CallbackId string
	// Result is the raw body; it becomes the callback's result text.
	Result []byte
}

// SendCallbackFailureInput is a SendDurableExecutionCallbackFailure request.
type SendCallbackFailureInput struct {
	CallbackId string
	Error      *checkpoint.ErrorObject
}

// SendCallbackHeartbeatInput is a SendDurableExecutionCallbackHeartbeat request.
type SendCallbackHeartbeatInput struct {
	CallbackId string
}

// StopExecutionInput is a StopDurableExecution request.
type StopExecutionInput struct {
	DurableExecutionArn string
	Error               *checkpoint.ErrorObject
}

// StopExecutionOutput is the answer to StopDurableExecution.
type StopExecutionOutput struct {
	StopTimestamp time.Time `json:"StopTimestamp"`
}

// OpenCallback describes a CALLBACK operation waiting for an answer.
type OpenCallback struct {
	DurableExecutionArn string
	CallbackId          string
	OperationId         string
	Name                string
	ParentId            string
	StartTimestamp      time.Time
	// Deadline is when the callback times out (zero: never); it accounts
	// for both the timeout and the heartbeat timeout.
	Deadline time.Time
}

// InvocationResult describes one finished invocation.
type InvocationResult struct {
	DurableExecutionArn string
	RequestId           string
	StartTimestamp      time.Time
	EndTimestamp        time.Time
	// Status is the response's status; empty when the function returned an
	// error, panicked or returned an unreadable response.
	Status checkpoint.InvocationStatus
	// Error is the invocation error (Error from the function, or the
	// response's Error for FAILED).
	Error *checkpoint.ErrorObject
	// Plain is true for a call of a non-durable function.
	Plain bool
}
