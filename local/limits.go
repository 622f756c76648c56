package local

import "time"

// Limits are the quotas the service enforces. Start from DefaultLimits and
// change what you need.
type Limits struct {
	// MaxOperationPayload bounds one operation's payload (step, context,
	// callback, chained invoke result, error) in bytes. Default 256 KiB.
	MaxOperationPayload int
	// MaxInputPayload bounds an execution's input in bytes. Default 256 KiB.
	MaxInputPayload int
	// MaxResponse bounds a function response in bytes. Default 6 MiB.
	MaxResponse int
	// MaxInvocationEvent bounds the invocation event the service sends a
	// function, in bytes: the first page of state holds fewer operations
	// than InitialStatePageSize when they would not fit. Default 6,291,456,
	// Lambda's Invoke payload limit.
	MaxInvocationEvent int
	// MaxOperations bounds the operations of one execution. Default 3,000.
	MaxOperations int
	// MaxUpdatesPerRequest bounds one checkpoint request. Default 250.
	MaxUpdatesPerRequest int
	// MaxRequestBytes bounds the payloads of one checkpoint request taken
	// together. Default 6 MiB (SDKs cap their batches at 750 KiB).
	MaxRequestBytes int
	// MaxDelaySeconds bounds wait durations and retry delays (the minimum
	// is 1). Default 31,622,400 (366 days).
	MaxDelaySeconds int32
	// MaxExecutionTimeout bounds execution timeouts. Default 366 days.
	MaxExecutionTimeout time.Duration
	// DefaultExecutionTimeout applies when neither the start request nor the
	// function sets one. Default 24 hours.
	DefaultExecutionTimeout time.Duration
	// InitialStatePageSize is how many operations the invocation event
	// carries at most before the function must page with
	// GetDurableExecutionState (fewer when MaxInvocationEvent requires).
	// Default 100.
	InitialStatePageSize int
	// IdempotencyWindow is how long a (ClientToken, CheckpointToken) pair
	// replays its answer. Default 15 minutes.
	IdempotencyWindow time.Duration
}

// DefaultLimits returns the limits of the real service.
func DefaultLimits() Limits {
	return Limits{
		MaxOperationPayload:     256 << 10,
		MaxInputPayload:         256 << 10,
		MaxResponse:             6 << 20,
		MaxInvocationEvent:      6_291_456,
		MaxOperations:           3000,
		MaxUpdatesPerRequest:    250,
		MaxRequestBytes:         6 << 20,
		MaxDelaySeconds:         31_622_400,
		MaxExecutionTimeout:     366 * 24 * time.Hour,
		DefaultExecutionTimeout: 24 * time.Hour,
		InitialStatePageSize:    100,
		IdempotencyWindow:       15 * time.Minute,
	}
}

// withDefaults fills zero (or negative) fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.MaxOperationPayload, d.MaxOperationPayload)
	orDefault(&l.MaxInputPayload, d.MaxInputPayload)
	orDefault(&l.MaxResponse, d.MaxResponse)
	orDefault(&l.MaxInvocationEvent, d.MaxInvocationEvent)
	orDefault(&l.MaxOperations, d.MaxOperations)
	orDefault(&l.MaxUpdatesPerRequest, d.MaxUpdatesPerRequest)
	orDefault(&l.MaxRequestBytes, d.MaxRequestBytes)
	orDefault(&l.MaxDelaySeconds, d.MaxDelaySeconds)
	orDefault(&l.MaxExecutionTimeout, d.MaxExecutionTimeout)
	orDefault(&l.DefaultExecutionTimeout, d.DefaultExecutionTimeout)
	orDefault(&l.InitialStatePageSize, d.InitialStatePageSize)
	orDefault(&l.IdempotencyWindow, d.IdempotencyWindow)
	return l
}

// orDefault replaces a zero or negative *v with def.
func orDefault[T int | int32 | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
