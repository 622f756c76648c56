package local

import (
	"context"
	"maps"
	"sync"
)

// Store persists executions as opaque JSON blobs keyed by execution ARN. The
// service saves an execution after every change and deletes nothing by
// itself; Delete is for retention. An implementation must be safe for
// concurrent use. NewMemoryStore is the in-memory one; cmd/durable has a
// bbolt one.
type Store interface {
	// Save stores (or replaces) the blob of one execution.
	Save(ctx context.Context, arn string, blob []byte) error
	// Delete removes an execution; deleting an unknown one is not an error.
	Delete(ctx context.Context, arn string) error
	// LoadAll returns every stored execution.
	LoadAll(ctx context.Context) (map[string][]byte, error)
}

// MemoryStore is a Store in memory: it survives a Service, not the process,
// which is what restart tests need.
type MemoryStore struct {
	mu    sync.Mutex
	blobs map[string][]byte
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{blobs: map[string][]byte{}} }

// Save implements Store.
func (m *MemoryStore) Save(_ context.Context, arn string, blob []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blobs[arn] = append([]byte(nil), blob...)
	return nil
}

// Delete implements Store.
func (m *MemoryStore) Delete(_ context.Context, arn string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.blobs, arn)
	return nil
}

// LoadAll implements Store.
func (m *MemoryStore) LoadAll(context.Context) (map[string][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := maps.Clone(m.blobs)
	for k, v := range out {
		out[k] = append([]byte(nil), v...)
	}
	return out, nil
}
