package plugin

import (
	"context"
	"sync"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

// recorded is what the invocation's event says about the execution.
type recorded struct {
	operations []checkpoint.Operation
	updated    []string
}

// recordedState returns the recorded state the invocation began with.
func recordedState(_ context.Context, inv *middleware.Invocation) recorded {
	return recorded{operations: inv.Operations, updated: inv.UpdatedOperationIDs}
}

// invocation is the state one installation keeps for one invocation. It is
// placed in the invocation's context, which every chain below descends from.
type invocation struct {
	arn       string
	requestID string
	first     bool
	start     time.Time

	mu        sync.Mutex
	execStart time.Time
	ops       map[string]*opState    // EXECUTION left out
	slab      []opState              // room for new entries (entry)
	recs      []checkpoint.Operation // room for records from responses (keep)
	updated   []string               // changed while suspended, in order
	morePages bool                   // a checkpoint response has further pages
	done      bool                   // InvocationEnd fired: no more hooks
}

// opState is what an invocation knows of one operation.
type opState struct {
	// rec is its latest record (nil until known): an entry of the event's
	// operations, which are read-only, or a copy of a response's (keep).
	rec       *checkpoint.Operation
	before    bool // recorded before this invocation
	wasUpdate bool // changed while the execution was suspended
	ended     bool // OperationEnd fired
}

func newInvocation(inv *middleware.Invocation, rec recorded) *invocation {
	st := &invocation{
		arn: inv.ExecutionARN, requestID: inv.RequestID, first: inv.First, start: inv.StartTime,
		ops:  make(map[string]*opState, len(rec.operations)),
		slab: make([]opState, 0, len(rec.operations)),
	}
	for i := range rec.operations {
		op := &rec.operations[i]
		if op.Type == checkpoint.TypeExecution {
			st.execStart = op.StartTimestamp.Time
			continue
		}
		e := st.entry(op.Id)
		e.rec, e.before = op, true
	}
	for _, id := range rec.updated {
		if e := st.entry(id); !e.wasUpdate {
			e.wasUpdate = true
			st.updated = append(st.updated, id)
		}
	}
	return st
}

// entry returns operation id's state, adding it if new. Entries come from
// slabs, so that learning of an operation rarely allocates. The caller
// holds st.mu (or owns st).
func (st *invocation) entry(id string) *opState {
	if e := st.ops[id]; e != nil {
		return e
	}
	if len(st.slab) == cap(st.slab) {
		st.slab = make([]opState, 0, entrySlab)
	}
	st.slab = st.slab[:len(st.slab)+1]
	e := &st.slab[len(st.slab)-1]
	st.ops[id] = e
	return e
}

// keep returns a copy of a response's record that stays as it is (the
// response is the engine's). Copies come from slabs.
func (st *invocation) keep(op *checkpoint.Operation) *checkpoint.Operation {
	if len(st.recs) == cap(st.recs) {
		st.recs = make([]checkpoint.Operation, 0, entrySlab)
	}
	st.recs = append(st.recs, *op)
	return &st.recs[len(st.recs)-1]
}

// entrySlab is how many operation entries, or records, one allocation
// holds.
const entrySlab = 32

// merge records operations from a response or a state page and, when
// infos is true, returns them as infos (EXECUTION left out).
func (st *invocation) merge(ops []checkpoint.Operation, infos bool) []OperationInfo {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []OperationInfo
	if infos {
		out = make([]OperationInfo, 0, len(ops))
	}
	for i := range ops {
		op := &ops[i]
		if op.Type == checkpoint.TypeExecution {
			continue
		}
		e := st.entry(op.Id)
		e.rec = st.keep(op)
		if infos {
			out = append(out, recordInfo(st.arn, e.rec, e.before))
		}
	}
	return out
}

// snapshot returns the known operations as infos.
func (st *invocation) snapshot() map[string]OperationInfo {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make(map[string]OperationInfo, len(st.ops))
	for id, e := range st.ops {
		if e.rec != nil {
			out[id] = recordInfo(st.arn, e.rec, e.before)
		}
	}
	return out
}

// info builds the InvocationInfo's start fields: the known operations are
// read on demand (InvocationInfo.Operations).
func (st *invocation) info() InvocationInfo {
	st.mu.Lock()
	defer st.mu.Unlock()
	info := InvocationInfo{
		ExecutionARN: st.arn, RequestID: st.requestID, IsFirstInvocation: st.first,
		StartTime: st.start, ExecutionStartTime: st.execStart, state: st,
	}
	for _, id := range st.updated {
		if e := st.ops[id]; e.rec != nil {
			info.UpdatedOperations = append(info.UpdatedOperations, recordInfo(st.arn, e.rec, e.before))
		}
	}
	return info
}

// recordedBefore reports whether operation id was recorded when the
// invocation began.
func (st *invocation) recordedBefore(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.ops[id]
	return e != nil && e.before
}

// replaysChildren reports whether operation id is a child context that had
// succeeded before the invocation and whose function runs again over its
// recorded children.
func (st *invocation) replaysChildren(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.ops[id]
	return e != nil && e.before && e.rec != nil && e.rec.Status == checkpoint.StatusSucceeded &&
		e.rec.ContextDetails != nil && e.rec.ContextDetails.ReplayChildren
}

// endedWhileSuspended reports whether the service completed operation id
// while the execution was suspended, and claims its OperationEnd.
func (st *invocation) endedWhileSuspended(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.ops[id]
	return e != nil && e.wasUpdate && st.claimLocked(e)
}

// claimEnd reports whether operation id's OperationEnd has not fired yet in
// this invocation, and marks it fired.
func (st *invocation) claimEnd(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.claimLocked(st.entry(id))
}

func (st *invocation) claimLocked(e *opState) bool {
	if e.ended || st.done {
		return false
	}
	e.ended = true
	return true
}

// setMorePages notes whether the last checkpoint response continues in
// GetExecutionState pages.
func (st *invocation) setMorePages(more bool) {
	st.mu.Lock()
	st.morePages = more
	st.mu.Unlock()
}

// continuesResponse reports whether a state page continues a checkpoint
// response (rather than the state the invocation began with), and notes
// whether more pages follow it.
func (st *invocation) continuesResponse(more bool) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.morePages {
		return false
	}
	st.morePages = more
	return true
}

// finish marks the invocation over: no hook fires for it any more.
func (st *invocation) finish() {
	st.mu.Lock()
	st.done = true
	st.mu.Unlock()
}

// over reports whether InvocationEnd has fired.
func (st *invocation) over() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.done
}
