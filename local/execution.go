package local

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// execution is the service's record of one durable execution: the header,
// the operations and the history, each persisted as its own records (see
// persist.go); the unexported fields are rebuilt on load.
type execution struct {
	execHeader

	Ops    []*checkpoint.Operation
	Meta   map[string]*opMeta
	Events eventLog
	// Input is the execution's input, also kept in the EXECUTION
	// operation (from which it is rebuilt on load).
	Input *string

	index  map[string]*checkpoint.Operation
	pos    map[string]int  // position of each operation in Ops
	token  string          // the current invocation's latest token
	tokens map[string]bool // every token of the current invocation
	idem   map[string]idemEntry
	async  []string // changed asynchronously since the last checkpoint response
	done   chan struct{}
	queued bool // in the manual queue
	gen    int  // invocation generation, guards late completions
	// held keeps a chained-invoke target from running until the parent's
	// invocation that started it has ended.
	held bool
	// launch holds the chained-invoke starts of the current invocation,
	// run when it ends.
	launch []func()
	// saved is what the store holds of this execution.
	saved savedState
	// saving is set while a checkpoint's change is written outside the
	// service's lock (saveBatchLocked); deferred holds the changes that
	// came meanwhile, applied once the write is done.
	saving   bool
	deferred []func()
}

// execHeader is the part of an execution stored as its header record:
// everything but the operations, their metadata and the history.
type execHeader struct {
	Arn          string                  `json:"Arn"`
	Name         string                  `json:"Name"`
	Id           string                  `json:"Id"`
	Seq          int64                   `json:"Seq"`
	FunctionName string                  `json:"FunctionName"`
	FunctionArn  string                  `json:"FunctionArn"`
	Qualifier    string                  `json:"Qualifier"`
	TenantId     string                  `json:"TenantId,omitempty"`
	Status       ExecutionStatus         `json:"Status"`
	StartTime    time.Time               `json:"StartTime"`
	EndTime      time.Time               `json:"EndTime,omitzero"`
	Timeout      time.Duration           `json:"Timeout"`
	Retention    time.Duration           `json:"Retention,omitempty"`
	Result       *string                 `json:"Result,omitempty"`
	Error        *checkpoint.ErrorObject `json:"Error,omitempty"`

	// ParentArn and ParentOpId link a chained-invoke target to the
	// CHAINED_INVOKE operation waiting for it.
	ParentArn  string `json:"ParentArn,omitempty"`
	ParentOpId string `json:"ParentOpId,omitempty"`

	// Triggered means another invocation is due.
	Triggered bool `json:"Triggered,omitempty"`
	// Invoking means an invocation is in flight (RequestId, InvocationStart).
	Invoking        bool      `json:"Invoking,omitempty"`
	RequestId       string    `json:"RequestId,omitempty"`
	InvocationStart time.Time `json:"InvocationStart,omitzero"`
	// Failures counts consecutive failed invocations.
	Failures int `json:"Failures,omitempty"`
	// Updated lists operations changed asynchronously since the last
	// invocation started (the next event's UpdatedOperationIds).
	Updated []string `json:"Updated,omitempty"`
	// Outcome is the result of an EXECUTION update checkpointed by the
	// current invocation.
	Outcome *outcome `json:"Outcome,omitempty"`
}

// runnable reports whether e waits for an invocation it may get now.
func (e *execution) runnable() bool {
	return e.Triggered && !e.Invoking && !e.held && !e.Status.Terminal()
}

// opMeta is what the service keeps about an operation beyond the Operation
// record: callback deadlines and chained-invoke targets.
type opMeta struct {
	CallbackTimeout   int32     `json:"CallbackTimeout,omitempty"`
	CallbackHeartbeat int32     `json:"CallbackHeartbeat,omitempty"`
	TimeoutAt         time.Time `json:"TimeoutAt,omitzero"`
	HeartbeatAt       time.Time `json:"HeartbeatAt,omitzero"`
	// TargetArn is the execution a durable chained invoke started.
	TargetArn string `json:"TargetArn,omitempty"`
	// PlainTarget is the non-durable function a chained invoke calls.
	PlainTarget string `json:"PlainTarget,omitempty"`
	// PlainInput is the payload for PlainTarget.
	PlainInput string `json:"PlainInput,omitempty"`
}

// outcome is the ending an EXECUTION update asked for.
type outcome struct {
	Succeeded bool                    `json:"Succeeded"`
	Result    string                  `json:"Result,omitempty"`
	Error     *checkpoint.ErrorObject `json:"Error,omitempty"`
}

// idemEntry remembers the answer to one checkpoint call.
type idemEntry struct {
	clientToken string
	out         *checkpoint.CheckpointOutput
	at          time.Time
}

// init rebuilds the runtime fields.
func (e *execution) init() {
	e.index = make(map[string]*checkpoint.Operation, len(e.Ops))
	e.pos = make(map[string]int, len(e.Ops))
	for i, o := range e.Ops {
		e.index[o.Id] = o
		e.pos[o.Id] = i
	}
	if e.Meta == nil {
		e.Meta = map[string]*opMeta{}
	}
	e.tokens = map[string]bool{}
	e.idem = map[string]idemEntry{}
	e.done = make(chan struct{})
	if e.Status.Terminal() {
		close(e.done)
	}
}

// addEvent appends ev with the next EventId.
func (e *execution) addEvent(ev Event) { e.addStored(compactEvent(&ev)) }

// addStored appends a compact event with the next EventId.
func (e *execution) addStored(ev storedEvent) {
	ev.EventId = int32(e.Events.Len() + 1)
	e.Events.add(ev)
}

// opEvent starts an event about operation o.
func opEvent(t EventType, o *checkpoint.Operation, now time.Time) Event {
	return Event{EventType: t, EventTimestamp: now, Id: o.Id, Name: o.Name, ParentId: o.ParentId, SubType: o.SubType}
}

// markAsync records that operation id changed outside a checkpoint call.
func (e *execution) markAsync(id string) {
	e.Updated = appendUnique(e.Updated, id)
	if e.Invoking {
		e.async = appendUnique(e.async, id)
	}
}

func appendUnique(list []string, id string) []string {
	for _, x := range list {
		if x == id {
			return list
		}
	}
	return append(list, id)
}

// hasPending reports whether some operation will change by itself (a step
// retry, a wait, a callback or a chained invoke in flight), or an invocation
// is already due.
func (e *execution) hasPending() bool {
	if e.Triggered {
		return true
	}
	for _, o := range e.Ops {
		switch {
		case o.Type == checkpoint.TypeStep && (o.Status == checkpoint.StatusPending || o.Status == checkpoint.StatusReady):
			return true
		case (o.Type == checkpoint.TypeWait || o.Type == checkpoint.TypeCallback || o.Type == checkpoint.TypeChainedInvoke) &&
			o.Status == checkpoint.StatusStarted:
			return true
		}
	}
	return false
}

// hidden reports, per operation index, whether the operation is left out of
// the state: a descendant of a closed CONTEXT without ReplayChildren.
func (e *execution) hidden() []bool {
	out := make([]bool, len(e.Ops))
	for i, o := range e.Ops {
		if o.ParentId == "" {
			continue
		}
		pi, ok := e.pos[o.ParentId]
		if !ok || pi >= i {
			continue // only a parent recorded earlier counts
		}
		out[i] = out[pi] || e.Ops[pi].HidesChildren()
	}
	return out
}

// executionOp is the EXECUTION operation (always the first).
func (e *execution) executionOp() *checkpoint.Operation { return e.Ops[0] }

// summary describes the execution.
func (e *execution) summary() Execution {
	return Execution{
		DurableExecutionArn:  e.Arn,
		DurableExecutionName: e.Name,
		FunctionArn:          e.FunctionArn + ":" + e.Qualifier,
		Status:               e.Status,
		StartTimestamp:       e.StartTime,
		EndTimestamp:         e.EndTime,
	}
}
