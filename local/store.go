package local

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Store persists executions record by record, so that a save costs what
// changed, not the size of the execution. An execution is kept as a header
// (its status and bookkeeping), its operations keyed by position and its
// history events keyed by index. The service saves after every change and
// answers an API call only once the save that records it has returned
// without error; a failed save leaves the execution as it was before the
// call (see docs/local-service.md, "Storage").
//
// An implementation must be safe for concurrent use. NewMemoryStore is the
// in-memory one; cmd/durable/boltstore keeps them in a bbolt file.
type Store interface {
	// Save applies ch to the execution arn as one atomic write: all of it
	// or, with an error, none of it. The service does not modify ch's byte
	// slices afterwards, so the store may keep them.
	Save(ctx context.Context, arn string, ch *Change) error
	// Delete removes an execution; deleting an unknown one is not an error.
	Delete(ctx context.Context, arn string) error
	// LoadAll returns every stored execution, its entries in Seq order. The
	// caller does not modify the records.
	LoadAll(ctx context.Context) (map[string]*Record, error)
}

// Change is what one save writes about an execution: its new header, the
// operations that changed and the events appended since the last save.
type Change struct {
	// Header replaces the stored header.
	Header []byte
	// Ops replace (or add) the operations stored at their Seq (position).
	Ops []Entry
	// Events are added at their Seq (index); they extend the history
	// without gaps.
	Events []Entry
}

// Entry is one operation or event of a Change or Record.
type Entry struct {
	// Seq is the position of an operation or the index of an event (both
	// from 0).
	Seq uint64
	// Data is the encoded record.
	Data []byte
}

// Record is a stored execution.
type Record struct {
	Header []byte
	// Ops and Events are in Seq order.
	Ops, Events []Entry
}

// MemoryStore is a Store in memory: it survives a Service, not the process,
// which is what restart tests need.
type MemoryStore struct {
	mu   sync.Mutex
	recs map[string]*Record
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{recs: map[string]*Record{}} }

// Save implements Store. Operations and events are slices indexed by Seq,
// so a save costs the size of ch.
func (m *MemoryStore) Save(_ context.Context, arn string, ch *Change) error {
	if ch == nil || ch.Header == nil {
		return fmt.Errorf("local: MemoryStore.Save %s: a change needs a header", arn)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.recs[arn]
	if r == nil {
		r = &Record{}
	}
	// Check before writing, so that a rejected change changes nothing.
	nOps, nEvents := uint64(len(r.Ops)), uint64(len(r.Events))
	for _, op := range ch.Ops {
		if op.Seq > nOps {
			return fmt.Errorf("local: MemoryStore.Save %s: operation %d leaves a gap after %d", arn, op.Seq, nOps)
		}
		if op.Seq == nOps {
			nOps++
		}
	}
	for _, ev := range ch.Events {
		if ev.Seq != nEvents {
			return fmt.Errorf("local: MemoryStore.Save %s: event %d, want %d", arn, ev.Seq, nEvents)
		}
		nEvents++
	}
	r.Header = ch.Header
	for _, op := range ch.Ops {
		if op.Seq == uint64(len(r.Ops)) {
			r.Ops = append(r.Ops, op)
		} else {
			r.Ops[op.Seq] = op
		}
	}
	r.Events = append(r.Events, ch.Events...)
	m.recs[arn] = r
	return nil
}

// Delete implements Store.
func (m *MemoryStore) Delete(_ context.Context, arn string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.recs, arn)
	return nil
}

// LoadAll implements Store.
func (m *MemoryStore) LoadAll(context.Context) (map[string]*Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]*Record, len(m.recs))
	for arn, r := range m.recs {
		// Entry data is never modified; the slices are copied so that
		// later saves do not show through.
		out[arn] = &Record{Header: r.Header, Ops: slices.Clone(r.Ops), Events: slices.Clone(r.Events)}
	}
	return out, nil
}

// Len returns the number of stored executions.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.recs)
}
