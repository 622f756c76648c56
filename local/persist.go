package local

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/lambda-durable/durable/checkpoint"
)

// How an execution is stored (see Store): the header is the JSON of
// execHeader; the operation at position i is the JSON of an opRecord under
// Seq i; history event i is the JSON of an Event (EventId i+1) under Seq i.
// A save writes the header, the operations changed since the last
// successful save and the events added since, so its cost follows the
// change, not the execution.

// opRecord is the stored form of one operation and what the service keeps
// about it.
type opRecord struct {
	Op   *checkpoint.Operation `json:"Op"`
	Meta *opMeta               `json:"Meta,omitempty"`
}

// savedState is what the store holds of an execution, as far as the
// service knows: what its next save must write.
type savedState struct {
	header []byte              // the header as last saved
	events int                 // events [0, events) are stored
	dirty  map[string]struct{} // operations changed since the last save
}

// touch records that operation id changed and must be saved.
func (e *execution) touch(id string) {
	if e.saved.dirty == nil {
		e.saved.dirty = map[string]struct{}{}
	}
	e.saved.dirty[id] = struct{}{}
}

// change encodes what e's next save writes: the header, the dirty
// operations and the unsaved events, with the staged updates of b (if not
// nil) applied on top, as batch.commitRecords will apply them. It returns nil
// when the store already holds all of e.
func (e *execution) change(b *batch) (*Change, error) {
	h := e.execHeader
	var staged map[string]*checkpoint.Operation
	var metas map[string]*opMeta
	var events []storedEvent
	if b != nil {
		h.Outcome = b.outcome
		staged, metas, events = b.staged, b.metas, b.events
	}
	header, err := json.Marshal(&h)
	if err != nil {
		return nil, err
	}
	if len(e.saved.dirty) == 0 && len(staged) == 0 && len(events) == 0 &&
		e.saved.events == e.Events.Len() && string(header) == string(e.saved.header) {
		return nil, nil
	}
	ch := &Change{Header: header}
	created := map[string]int{}
	if b != nil {
		for i, id := range b.created {
			created[id] = len(e.Ops) + i
		}
	}
	seqs := make([]int, 0, len(e.saved.dirty)+len(staged))
	ids := map[int]string{}
	add := func(id string) {
		p, ok := e.pos[id]
		if !ok {
			p = created[id]
		}
		if _, dup := ids[p]; !dup {
			ids[p] = id
			seqs = append(seqs, p)
		}
	}
	for id := range e.saved.dirty {
		add(id)
	}
	for id := range staged {
		add(id)
	}
	slices.Sort(seqs)
	for _, p := range seqs {
		id := ids[p]
		rec := opRecord{Op: e.index[id], Meta: e.Meta[id]}
		if o, ok := staged[id]; ok {
			rec.Op = o
		}
		if m, ok := metas[id]; ok {
			rec.Meta = m
		}
		data, err := json.Marshal(&rec)
		if err != nil {
			return nil, err
		}
		ch.Ops = append(ch.Ops, Entry{Seq: uint64(p), Data: data})
	}
	for i := e.saved.events; i < e.Events.Len(); i++ {
		data, err := json.Marshal(e.Events.stored(i))
		if err != nil {
			return nil, err
		}
		ch.Events = append(ch.Events, Entry{Seq: uint64(i), Data: data})
	}
	for i, ev := range events {
		ev.EventId = int32(e.Events.Len() + i + 1) // as addStored will number it
		data, err := json.Marshal(&ev)
		if err != nil {
			return nil, err
		}
		ch.Events = append(ch.Events, Entry{Seq: uint64(e.Events.Len() + i), Data: data})
	}
	return ch, nil
}

// markSaved records that the store holds ch and the events before index
// events.
func (e *execution) markSaved(ch *Change, events int) {
	e.saved.header = ch.Header
	e.saved.events = events
	clear(e.saved.dirty)
}

// saveLocked writes ch, a change of e, to the store.
func (s *Service) saveLocked(e *execution, ch *Change) error {
	if err := s.cfg.store.Save(context.Background(), e.Arn, ch); err != nil {
		return s.refusedLocked(e, err)
	}
	delete(s.unsaved, e)
	return nil
}

// refusedLocked records that the store refused a change of e: it logs it,
// marks e unsaved and returns the API answer, a server fault, which
// clients retry.
func (s *Service) refusedLocked(e *execution, err error) *APIError {
	s.unsaved[e] = struct{}{}
	s.log.Error("local: saving an execution failed; the change is not acknowledged until a save succeeds", "arn", e.Arn, "err", err)
	return &APIError{Code: CodeService, HTTPStatus: http.StatusInternalServerError,
		Message: "the local service could not store the change, which was not applied; retry: " + err.Error()}
}

// persistLocked saves what changed in e. On failure the change stays in
// memory, is logged, and goes with e's next save (or the next save of any
// execution, see retryUnsavedLocked); the error is for API calls to answer
// with.
func (s *Service) persistLocked(e *execution) error {
	if s.cfg.store == nil {
		clear(e.saved.dirty)
		return nil
	}
	if s.closed || s.execs[e.Arn] != e || e.saving { // closing, evicted, or saved after the write in flight
		return nil
	}
	ch, err := e.change(nil)
	if err == nil && ch != nil {
		err = s.saveLocked(e, ch)
	}
	if err != nil {
		return err
	}
	if ch != nil {
		e.markSaved(ch, e.Events.Len())
	}
	s.retryUnsavedLocked()
	return nil
}

// retryUnsavedLocked saves again the executions whose last save failed,
// once the store works again, so that memory and store agree even for
// changes no API call waits for (timers, invocation ends).
func (s *Service) retryUnsavedLocked() {
	for e := range s.unsaved {
		if e.saving {
			continue
		}
		ch, err := e.change(nil)
		if err != nil || ch == nil {
			delete(s.unsaved, e)
			continue
		}
		if s.cfg.store.Save(context.Background(), e.Arn, ch) != nil {
			return // still failing: try again with the next save
		}
		e.markSaved(ch, e.Events.Len())
		delete(s.unsaved, e)
	}
}

// decodeExecution rebuilds an execution from its stored record.
func decodeExecution(arn string, r *Record) (*execution, error) {
	e := &execution{Meta: map[string]*opMeta{}}
	if err := json.Unmarshal(r.Header, &e.execHeader); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if e.Arn != arn {
		return nil, fmt.Errorf("header names %s", clip(e.Arn))
	}
	for i, ent := range r.Ops {
		var rec opRecord
		if ent.Seq != uint64(i) {
			return nil, fmt.Errorf("operation %d is missing", i)
		}
		if err := json.Unmarshal(ent.Data, &rec); err != nil || rec.Op == nil || rec.Op.Id == "" {
			return nil, fmt.Errorf("operation %d: unreadable (%v)", i, err)
		}
		e.Ops = append(e.Ops, rec.Op)
		if rec.Meta != nil {
			e.Meta[rec.Op.Id] = rec.Meta
		}
	}
	if len(e.Ops) == 0 || e.Ops[0].Type != checkpoint.TypeExecution {
		return nil, fmt.Errorf("no EXECUTION operation")
	}
	for i, ent := range r.Events {
		var ev storedEvent
		if ent.Seq != uint64(i) {
			return nil, fmt.Errorf("event %d is missing", i)
		}
		if err := json.Unmarshal(ent.Data, &ev); err != nil || ev.EventId != int32(i+1) {
			return nil, fmt.Errorf("event %d: unreadable (%v)", i, err)
		}
		e.Events.add(ev)
	}
	if d := e.Ops[0].ExecutionDetails; d != nil && d.InputPayload != "" {
		e.Input = ptr(d.InputPayload)
	}
	e.init()
	e.saved = savedState{header: r.Header, events: e.Events.Len()}
	return e, nil
}

// saveBatchLocked stores e's change with b's staged updates applied, before
// b is committed; it returns the change the store took (nil with no store
// or nothing to write). It encodes and writes without s.mu, so that
// checkpoints of other executions proceed (and a store may write their
// changes together): meanwhile e is marked saving, and what would change
// it waits (API calls, awaitSavedLocked) or is deferred (timers, chained
// invokes, ends: deferLocked) until runDeferredLocked.
func (s *Service) saveBatchLocked(e *execution, b *batch) (*Change, error) {
	if s.cfg.store == nil {
		return nil, nil
	}
	e.saving = true
	s.mu.Unlock()
	ch, err := e.change(b)
	if err == nil && ch != nil {
		err = s.cfg.store.Save(context.Background(), e.Arn, ch)
	}
	s.mu.Lock()
	e.saving = false
	if err != nil {
		return nil, s.refusedLocked(e, err)
	}
	return ch, nil
}

// awaitSavedLocked waits until no change of e is being written (s.mu is
// released meanwhile); the caller then looks at e afresh.
func (s *Service) awaitSavedLocked(ctx context.Context, e *execution) error {
	for e.saving {
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			s.mu.Lock()
			return ctx.Err()
		}
		s.mu.Lock()
	}
	return nil
}

// deferLocked runs f after the write in flight for e, if there is one, and
// reports whether it did so.
func (s *Service) deferLocked(e *execution, f func()) bool {
	if !e.saving {
		return false
	}
	e.deferred = append(e.deferred, f)
	return true
}

// runDeferredLocked applies the changes deferred while e was saving.
func (s *Service) runDeferredLocked(e *execution) {
	for len(e.deferred) > 0 {
		fs := e.deferred
		e.deferred = nil
		for _, f := range fs {
			f()
		}
	}
}
