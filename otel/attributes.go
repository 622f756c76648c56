package otel

import (
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// The span attributes (contract section 5). Spans carry exactly these
// durable.* keys, nothing else under that prefix.
const (
	keyExecutionARN     = "durable.execution.arn"
	keyExecutionStatus  = "durable.execution.status"
	keyInvocationFirst  = "durable.invocation.first"
	keyInvocationStatus = "durable.invocation.status"
	keyOperationID      = "durable.operation.id"
	keyOperationType    = "durable.operation.type"
	keyOperationSubtype = "durable.operation.subtype"
	keyOperationName    = "durable.operation.name"
	keyOperationStatus  = "durable.operation.status"
	keyAttemptNumber    = "durable.attempt.number"
	keyAttemptOutcome   = "durable.attempt.outcome"
)

// Statuses the tracer sets besides the service's own.
const (
	statusStarted    = "STARTED"
	statusSucceeded  = "SUCCEEDED"
	statusFailed     = "FAILED"
	statusPending    = "PENDING"
	statusRetrying   = "RETRYING"
	outcomeCancelled = "INCOMPLETE" // an attempt cut short by the invocation's end
)

// The log attributes added to records written under a traced context.
const (
	logTraceID = "traceId"
	logSpanID  = "spanId"
	logSampled = "otelTraceSampled"
)

// Default span names.
const (
	workflowSpanName   = "Workflow"
	invocationSpanName = "Invocation"
)

// spanName is an operation's span name: its name, else its type.
func spanName(op operation) string {
	if op.name != "" {
		return op.name
	}
	return op.opType
}

// attemptName is an attempt's span name: "<operation span name> attempt N".
func attemptName(a attempt) string {
	return spanName(a.op) + " attempt " + strconv.Itoa(a.number)
}

// operationAttrs appends an operation span's attributes to buf: op.status
// is the operation's status, and an ended step also gets its attempt count.
func operationAttrs(buf []attribute.KeyValue, arn string, op operation) []attribute.KeyValue {
	buf = append(buf,
		attribute.String(keyExecutionARN, arn),
		attribute.String(keyOperationID, op.id),
		attribute.String(keyOperationType, op.opType),
		attribute.String(keyOperationSubtype, op.subType),
		attribute.String(keyOperationName, op.name),
		attribute.String(keyOperationStatus, op.status),
	)
	if op.isStep() && op.status != statusStarted {
		buf = append(buf, attribute.Int(keyAttemptNumber, op.attempts))
	}
	return buf
}

// setOperationStatus sets an ended operation's span status: ERROR with the
// error when there is one, OK on success, UNSET for another terminal status.
func setOperationStatus(span trace.Span, op operation) {
	switch {
	case op.err != nil:
		setFailure(span, op.err)
	case op.status == statusSucceeded || op.status == "":
		span.SetStatus(codes.Ok, "")
	}
}

// attemptAttrs appends an ended attempt span's attributes to buf (its
// outcome, no operation status).
func attemptAttrs(buf []attribute.KeyValue, arn string, a attempt) []attribute.KeyValue {
	return append(buf,
		attribute.String(keyExecutionARN, arn),
		attribute.String(keyOperationID, a.op.id),
		attribute.String(keyOperationType, a.op.opType),
		attribute.String(keyOperationSubtype, a.op.subType),
		attribute.String(keyOperationName, a.op.name),
		attribute.Int(keyAttemptNumber, a.number),
		attribute.String(keyAttemptOutcome, a.outcome),
	)
}

// setAttemptStatus sets an ended attempt's span status.
func setAttemptStatus(span trace.Span, a attempt) {
	switch {
	case a.outcome == statusSucceeded:
		span.SetStatus(codes.Ok, "")
	case a.err != nil:
		setFailure(span, a.err)
	case a.outcome == statusFailed:
		span.SetStatus(codes.Error, "")
	}
}

// endInvocation sets the Invocation span's status: OK for SUCCEEDED and
// PENDING, ERROR for FAILED, UNSET for RETRYING.
func endInvocation(span trace.Span, end invocationEnd) {
	span.SetAttributes(attribute.String(keyInvocationStatus, end.status))
	switch end.status {
	case statusSucceeded, statusPending:
		span.SetStatus(codes.Ok, "")
	case statusFailed:
		setFailure(span, orUnknown(end.err))
	}
}

// endWorkflow sets the Workflow span's status: OK or ERROR.
func endWorkflow(span trace.Span, end invocationEnd) {
	span.SetAttributes(attribute.String(keyExecutionStatus, end.status))
	if end.status == statusSucceeded {
		span.SetStatus(codes.Ok, "")
	} else {
		setFailure(span, orUnknown(end.err))
	}
}

func orUnknown(f *failure) *failure {
	if f == nil {
		return &failure{}
	}
	return f
}

// setFailure marks span ERROR with the error's message and records the
// error as an exception event.
func setFailure(span trace.Span, f *failure) {
	span.SetStatus(codes.Error, f.message)
	if f.err != nil {
		span.RecordError(f.err)
		return
	}
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(f.errorType), semconv.ExceptionMessage(f.message)))
}
