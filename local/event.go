package local

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// EventType names a history event (lambda types.EventType).
type EventType string

// The history event types.
const (
	EventExecutionStarted       EventType = "ExecutionStarted"
	EventExecutionSucceeded     EventType = "ExecutionSucceeded"
	EventExecutionFailed        EventType = "ExecutionFailed"
	EventExecutionTimedOut      EventType = "ExecutionTimedOut"
	EventExecutionStopped       EventType = "ExecutionStopped"
	EventContextStarted         EventType = "ContextStarted"
	EventContextSucceeded       EventType = "ContextSucceeded"
	EventContextFailed          EventType = "ContextFailed"
	EventWaitStarted            EventType = "WaitStarted"
	EventWaitSucceeded          EventType = "WaitSucceeded"
	EventWaitCancelled          EventType = "WaitCancelled"
	EventStepStarted            EventType = "StepStarted"
	EventStepSucceeded          EventType = "StepSucceeded"
	EventStepFailed             EventType = "StepFailed"
	EventChainedInvokeStarted   EventType = "ChainedInvokeStarted"
	EventChainedInvokeSucceeded EventType = "ChainedInvokeSucceeded"
	EventChainedInvokeFailed    EventType = "ChainedInvokeFailed"
	EventChainedInvokeTimedOut  EventType = "ChainedInvokeTimedOut"
	EventChainedInvokeStopped   EventType = "ChainedInvokeStopped"
	EventCallbackStarted        EventType = "CallbackStarted"
	EventCallbackSucceeded      EventType = "CallbackSucceeded"
	EventCallbackFailed         EventType = "CallbackFailed"
	EventCallbackTimedOut       EventType = "CallbackTimedOut"
	EventInvocationCompleted    EventType = "InvocationCompleted"
)

// Event is one history event, with the field names and nesting of the
// aws-sdk-go-v2 lambda types.Event. Exactly one *Details field is set, the
// one named after EventType.
type Event struct {
	EventType      EventType `json:"EventType"`
	EventId        int32     `json:"EventId"`
	EventTimestamp time.Time `json:"EventTimestamp"`
	Id             string    `json:"Id,omitempty"`
	Name           string    `json:"Name,omitempty"`
	ParentId       string    `json:"ParentId,omitempty"`
	SubType        string    `json:"SubType,omitempty"`

	ExecutionStartedDetails       *ExecutionStartedDetails       `json:"ExecutionStartedDetails,omitempty"`
	ExecutionSucceededDetails     *ExecutionSucceededDetails     `json:"ExecutionSucceededDetails,omitempty"`
	ExecutionFailedDetails        *ExecutionFailedDetails        `json:"ExecutionFailedDetails,omitempty"`
	ExecutionTimedOutDetails      *ExecutionTimedOutDetails      `json:"ExecutionTimedOutDetails,omitempty"`
	ExecutionStoppedDetails       *ExecutionStoppedDetails       `json:"ExecutionStoppedDetails,omitempty"`
	ContextStartedDetails         *ContextStartedDetails         `json:"ContextStartedDetails,omitempty"`
	ContextSucceededDetails       *ContextSucceededDetails       `json:"ContextSucceededDetails,omitempty"`
	ContextFailedDetails          *ContextFailedDetails          `json:"ContextFailedDetails,omitempty"`
	WaitStartedDetails            *WaitStartedDetails            `json:"WaitStartedDetails,omitempty"`
	WaitSucceededDetails          *WaitSucceededDetails          `json:"WaitSucceededDetails,omitempty"`
	WaitCancelledDetails          *WaitCancelledDetails          `json:"WaitCancelledDetails,omitempty"`
	StepStartedDetails            *StepStartedDetails            `json:"StepStartedDetails,omitempty"`
	StepSucceededDetails          *StepSucceededDetails          `json:"StepSucceededDetails,omitempty"`
	StepFailedDetails             *StepFailedDetails             `json:"StepFailedDetails,omitempty"`
	ChainedInvokeStartedDetails   *ChainedInvokeStartedDetails   `json:"ChainedInvokeStartedDetails,omitempty"`
	ChainedInvokeSucceededDetails *ChainedInvokeSucceededDetails `json:"ChainedInvokeSucceededDetails,omitempty"`
	ChainedInvokeFailedDetails    *ChainedInvokeFailedDetails    `json:"ChainedInvokeFailedDetails,omitempty"`
	ChainedInvokeTimedOutDetails  *ChainedInvokeTimedOutDetails  `json:"ChainedInvokeTimedOutDetails,omitempty"`
	ChainedInvokeStoppedDetails   *ChainedInvokeStoppedDetails   `json:"ChainedInvokeStoppedDetails,omitempty"`
	CallbackStartedDetails        *CallbackStartedDetails        `json:"CallbackStartedDetails,omitempty"`
	CallbackSucceededDetails      *CallbackSucceededDetails      `json:"CallbackSucceededDetails,omitempty"`
	CallbackFailedDetails         *CallbackFailedDetails         `json:"CallbackFailedDetails,omitempty"`
	CallbackTimedOutDetails       *CallbackTimedOutDetails       `json:"CallbackTimedOutDetails,omitempty"`
	InvocationCompletedDetails    *InvocationCompletedDetails    `json:"InvocationCompletedDetails,omitempty"`
}

// EventInput wraps an input payload in an event.
type EventInput struct {
	Payload   *string `json:"Payload,omitempty"`
	Truncated bool    `json:"Truncated"`
}

// EventResult wraps a result payload in an event.
type EventResult struct {
	Payload   *string `json:"Payload,omitempty"`
	Truncated bool    `json:"Truncated"`
}

// EventError wraps an error in an event.
type EventError struct {
	Payload   *checkpoint.ErrorObject `json:"Payload,omitempty"`
	Truncated bool                    `json:"Truncated"`
}

// RetryDetails tells which attempt a step event ends and when the next one runs.
type RetryDetails struct {
	CurrentAttempt          int32  `json:"CurrentAttempt"`
	NextAttemptDelaySeconds *int32 `json:"NextAttemptDelaySeconds,omitempty"`
}

// ExecutionStartedDetails details an ExecutionStarted event.
type ExecutionStartedDetails struct {
	Input *EventInput `json:"Input,omitempty"`
	// ExecutionTimeout is in seconds.
	ExecutionTimeout int32 `json:"ExecutionTimeout,omitempty"`
}

// ExecutionSucceededDetails details an ExecutionSucceeded event.
type ExecutionSucceededDetails struct {
	Result *EventResult `json:"Result,omitempty"`
}

// ExecutionFailedDetails details an ExecutionFailed event.
type ExecutionFailedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// ExecutionTimedOutDetails details an ExecutionTimedOut event.
type ExecutionTimedOutDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// ExecutionStoppedDetails details an ExecutionStopped event.
type ExecutionStoppedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// ContextStartedDetails details a ContextStarted event (no fields).
type ContextStartedDetails struct{}

// ContextSucceededDetails details a ContextSucceeded event.
type ContextSucceededDetails struct {
	Result *EventResult `json:"Result,omitempty"`
}

// ContextFailedDetails details a ContextFailed event.
type ContextFailedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// WaitStartedDetails details a WaitStarted event.
type WaitStartedDetails struct {
	// Duration is in seconds.
	Duration              int32     `json:"Duration"`
	ScheduledEndTimestamp time.Time `json:"ScheduledEndTimestamp"`
}

// WaitSucceededDetails details a WaitSucceeded event.
type WaitSucceededDetails struct {
	// Duration is in seconds.
	Duration int32 `json:"Duration"`
}

// WaitCancelledDetails details a WaitCancelled event.
type WaitCancelledDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// StepStartedDetails details a StepStarted event (no fields).
type StepStartedDetails struct{}

// StepSucceededDetails details a StepSucceeded event.
type StepSucceededDetails struct {
	Result       *EventResult  `json:"Result,omitempty"`
	RetryDetails *RetryDetails `json:"RetryDetails,omitempty"`
}

// StepFailedDetails details a StepFailed event.
type StepFailedDetails struct {
	Error        *EventError   `json:"Error,omitempty"`
	RetryDetails *RetryDetails `json:"RetryDetails,omitempty"`
}

// ChainedInvokeStartedDetails details a ChainedInvokeStarted event.
type ChainedInvokeStartedDetails struct {
	FunctionName        string      `json:"FunctionName"`
	TenantId            string      `json:"TenantId,omitempty"`
	Input               *EventInput `json:"Input,omitempty"`
	ExecutedVersion     string      `json:"ExecutedVersion,omitempty"`
	DurableExecutionArn string      `json:"DurableExecutionArn,omitempty"`
}

// ChainedInvokeSucceededDetails details a ChainedInvokeSucceeded event.
type ChainedInvokeSucceededDetails struct {
	Result *EventResult `json:"Result,omitempty"`
}

// ChainedInvokeFailedDetails details a ChainedInvokeFailed event.
type ChainedInvokeFailedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// ChainedInvokeTimedOutDetails details a ChainedInvokeTimedOut event.
type ChainedInvokeTimedOutDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// ChainedInvokeStoppedDetails details a ChainedInvokeStopped event.
type ChainedInvokeStoppedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// CallbackStartedDetails details a CallbackStarted event.
type CallbackStartedDetails struct {
	CallbackId string `json:"CallbackId"`
	// Timeout and HeartbeatTimeout are in seconds; 0 means none.
	Timeout          int32 `json:"Timeout,omitempty"`
	HeartbeatTimeout int32 `json:"HeartbeatTimeout,omitempty"`
}

// CallbackSucceededDetails details a CallbackSucceeded event.
type CallbackSucceededDetails struct {
	Result *EventResult `json:"Result,omitempty"`
}

// CallbackFailedDetails details a CallbackFailed event.
type CallbackFailedDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// CallbackTimedOutDetails details a CallbackTimedOut event.
type CallbackTimedOutDetails struct {
	Error *EventError `json:"Error,omitempty"`
}

// InvocationCompletedDetails details an InvocationCompleted event.
type InvocationCompletedDetails struct {
	StartTimestamp time.Time   `json:"StartTimestamp"`
	EndTimestamp   time.Time   `json:"EndTimestamp"`
	RequestId      string      `json:"RequestId"`
	Error          *EventError `json:"Error,omitempty"`
}
