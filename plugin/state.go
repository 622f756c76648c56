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
	ops       map[string]*checkpoint.Operation // EXECUTION left out
	slab      []checkpoint.Operation           // room for new records (newRecord)
	before    map[string]bool                  // recorded before this invocation
	updated   []string                         // changed while suspended, in order
	wasUpdate map[string]bool
	ended     map[string]bool // OperationEnd fired
	morePages bool            // a checkpoint response has further pages
	done      bool            // InvocationEnd fired: no more hooks
}

func newInvocation(inv *middleware.Invocation, rec recorded) *invocation {
	st := &invocation{
		arn: inv.ExecutionARN, requestID: inv.RequestID, first: inv.First, start: inv.StartTime,
		ops:    make(map[string]*checkpoint.Operation, len(rec.operations)),
		before: make(map[string]bool, len(rec.operations)), slab: make([]checkpoint.Operation, 0, len(rec.operations)),
		wasUpdate: map[string]bool{}, ended: map[string]bool{},
	}
	for i := range rec.operations {
		op := &rec.operations[i]
		if op.Type == checkpoint.TypeExecution {
			st.execStart = op.StartTimestamp.Time
			continue
		}
		r := st.newRecord()
		*r = *op
		st.ops[op.Id] = r
		st.before[op.Id] = true
	}
	for _, id := range rec.updated {
		if !st.wasUpdate[id] {
			st.wasUpdate[id] = true
			st.updated = append(st.updated, id)
		}
	}
	return st
}

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
		rec := st.ops[op.Id]
		if rec == nil {
			rec = st.newRecord()
			st.ops[op.Id] = rec
		}
		*rec = *op
		if infos {
			out = append(out, recordInfo(st.arn, rec, st.before[op.Id]))
		}
	}
	return out
}

// newRecord returns room for one more known operation. Records come from
// slabs, so that learning of an operation rarely allocates.
func (st *invocation) newRecord() *checkpoint.Operation {
	if len(st.slab) == cap(st.slab) {
		st.slab = make([]checkpoint.Operation, 0, recordSlab)
	}
	st.slab = st.slab[:len(st.slab)+1]
	return &st.slab[len(st.slab)-1]
}

// recordSlab is how many operation records one allocation holds.
const recordSlab = 32

// snapshot returns the known operations as infos.
func (st *invocation) snapshot() map[string]OperationInfo {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make(map[string]OperationInfo, len(st.ops))
	for id, op := range st.ops {
		out[id] = recordInfo(st.arn, op, st.before[id])
	}
	return out
}

// info builds the InvocationInfo (start fields, known operations).
func (st *invocation) info() InvocationInfo {
	ops := st.snapshot()
	st.mu.Lock()
	defer st.mu.Unlock()
	info := InvocationInfo{
		ExecutionARN: st.arn, RequestID: st.requestID, IsFirstInvocation: st.first,
		StartTime: st.start, ExecutionStartTime: st.execStart, Operations: ops,
	}
	for _, id := range st.updated {
		if op, ok := ops[id]; ok {
			info.UpdatedOperations = append(info.UpdatedOperations, op)
		}
	}
	return info
}

// record returns the operation as recorded when the invocation began (nil
// if it was not).
func (st *invocation) record(id string) *checkpoint.Operation {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.before[id] {
		return nil
	}
	return st.ops[id]
}

// endedWhileSuspended reports whether the service completed operation id
// while the execution was suspended, and claims its OperationEnd.
func (st *invocation) endedWhileSuspended(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.wasUpdate[id] && st.claimLocked(id)
}

// claimEnd reports whether operation id's OperationEnd has not fired yet in
// this invocation, and marks it fired.
func (st *invocation) claimEnd(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.claimLocked(id)
}

func (st *invocation) claimLocked(id string) bool {
	if st.ended[id] || st.done {
		return false
	}
	st.ended[id] = true
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
