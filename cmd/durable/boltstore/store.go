// Package boltstore is a local.Store kept in a bbolt file, so that the
// executions of a local durable execution service survive a restart of the
// process: stop the server in the middle of a workflow, start it again on
// the same file, and the workflow resumes.
//
// The file holds a metadata bucket recording the format version and an
// executions bucket with one nested bucket per execution ARN. That bucket
// holds the execution's header under "header" and two nested buckets,
// "ops" and "events", whose keys are the 8-byte big-endian position of an
// operation and index of an event. A save writes only what changed (the
// header, the changed operations, the new events) in one transaction, so
// its cost follows the change, not the size of the execution; saves that
// arrive while a transaction is written share the next one (and its
// fsync). bbolt locks the file: a second process opening it gets ErrLocked
// after the open timeout.
package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/lambda-durable/durable/local"
)

// FormatVersion is the version of the file layout this package writes.
// Version 1 (one JSON blob per execution) is not read: move such a file
// away and start again.
const FormatVersion = "2"

var (
	bucketExecutions = []byte("executions")
	bucketMeta       = []byte("meta")
	keyVersion       = []byte("version")
	keyHeader        = []byte("header")
	bucketOps        = []byte("ops")
	bucketEvents     = []byte("events")
)

// Errors returned by Open and the Store methods.
var (
	// ErrLocked means another process holds the file open.
	ErrLocked = errors.New("boltstore: the database file is in use by another process")
	// ErrFormat means the file was written with another layout version.
	ErrFormat = errors.New("boltstore: unsupported database format")
	// ErrClosed is returned by the methods of a closed Store.
	ErrClosed = errors.New("boltstore: store is closed")
	// ErrEmptyKey is returned for an empty execution ARN.
	ErrEmptyKey = errors.New("boltstore: empty execution ARN")
	// ErrChange is returned for a change that would leave a gap in an
	// execution's operations or events, or has no header.
	ErrChange = errors.New("boltstore: inconsistent change")
)

// Store is a local.Store in a bbolt file. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	// Saves that arrive while a transaction is being written wait in
	// queue and are written together by the next one (group commit: one
	// fsync for all of them).
	mu      sync.Mutex
	queue   []*pendingSave
	writing bool
}

// pendingSave is a Save waiting for its transaction.
type pendingSave struct {
	arn  string
	ch   *local.Change
	done chan error
}

var _ local.Store = (*Store)(nil)

// Option configures Open.
type Option interface{ apply(*options) }

// optionFunc adapts a function to Option.
type optionFunc func(*options)

func (f optionFunc) apply(t *options) { f(t) }

type options struct {
	timeout time.Duration
	noSync  bool
}

// WithOpenTimeout bounds how long Open waits for the file lock held by
// another process (default 1 s). It must be positive.
func WithOpenTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	})
}

// WithoutSync skips the fsync after each write. A write that returned is in
// the operating system's hands: it survives a crash or kill of the process,
// not a crash of the machine, which may lose the last writes or damage the
// file. About ten times faster per save where an fsync costs milliseconds
// (docs/performance.md, "The persistent store").
func WithoutSync() Option { return optionFunc(func(o *options) { o.noSync = true }) }

// Open opens (creating if needed) the store file at path; its directory must
// exist. Close it when done.
func Open(path string, opts ...Option) (*Store, error) {
	if path == "" {
		return nil, errors.New("boltstore: empty database path")
	}
	o := options{timeout: time.Second}
	for _, opt := range opts {
		opt.apply(&o)
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("boltstore: database directory: %w", err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: o.timeout,
		NoSync:  o.noSync,
		// The free list is rebuilt on open instead of rewritten by every
		// save, which saves a page write per transaction.
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	if err := db.Update(initLayout); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// initLayout creates the buckets of a new file and checks the version of an
// existing one.
func initLayout(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	switch v := meta.Get(keyVersion); {
	case v == nil:
		if err := meta.Put(keyVersion, []byte(FormatVersion)); err != nil {
			return err
		}
	case string(v) != FormatVersion:
		return fmt.Errorf("%w: version %q, want %q (a file of an older durable; move it away to start afresh)", ErrFormat, v, FormatVersion)
	}
	_, err = tx.CreateBucketIfNotExists(bucketExecutions)
	return err
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Save implements local.Store: it writes the change of one execution
// durably, and returns once it is written. Changes saved concurrently (by
// different executions) share a transaction and its fsync; a change that
// cannot be written fails alone.
func (s *Store) Save(ctx context.Context, arn string, ch *local.Change) error {
	if err := s.check(ctx, arn); err != nil {
		return err
	}
	if ch == nil || ch.Header == nil {
		return fmt.Errorf("%w: %s: no header", ErrChange, arn)
	}
	p := &pendingSave{arn: arn, ch: ch, done: make(chan error, 1)}
	s.mu.Lock()
	s.queue = append(s.queue, p)
	lead := !s.writing
	s.writing = true
	s.mu.Unlock()
	if lead {
		s.writeQueued()
	}
	return <-p.done
}

// writeQueued writes every queued change in one transaction; changes queued
// meanwhile go to the next transaction, written by another goroutine so
// that this Save returns.
func (s *Store) writeQueued() {
	s.mu.Lock()
	batch := s.queue
	s.queue = nil
	s.mu.Unlock()
	s.writeBatch(batch)
	s.mu.Lock()
	more := len(s.queue) > 0
	s.writing = more
	s.mu.Unlock()
	if more {
		go s.writeQueued()
	}
}

// writeBatch writes batch in one transaction; if that fails, each change
// again in its own, so that one bad change fails alone.
func (s *Store) writeBatch(batch []*pendingSave) {
	write := func(ps ...*pendingSave) error {
		err := s.db.Update(func(tx *bolt.Tx) error {
			for _, p := range ps {
				if err := writeChange(tx, p.arn, p.ch); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return s.wrap("save", err)
		}
		return nil
	}
	if err := write(batch...); err == nil || len(batch) == 1 {
		for _, p := range batch {
			p.done <- err
		}
		return
	}
	for _, p := range batch {
		p.done <- write(p)
	}
}

// writeChange writes ch into the bucket of execution arn.
func writeChange(tx *bolt.Tx, arn string, ch *local.Change) error {
	exec, err := tx.Bucket(bucketExecutions).CreateBucketIfNotExists([]byte(arn))
	if err != nil {
		return err
	}
	if err := exec.Put(keyHeader, ch.Header); err != nil {
		return err
	}
	ops, err := exec.CreateBucketIfNotExists(bucketOps)
	if err != nil {
		return err
	}
	next := nextSeq(ops)
	for _, op := range ch.Ops {
		if op.Seq > next {
			return fmt.Errorf("%w: %s: operation %d after %d operations", ErrChange, arn, op.Seq, next)
		}
		if op.Seq == next {
			next++
		}
		if err := ops.Put(seqKey(op.Seq), op.Data); err != nil {
			return err
		}
	}
	events, err := exec.CreateBucketIfNotExists(bucketEvents)
	if err != nil {
		return err
	}
	events.FillPercent = 1 // events are only appended
	next = nextSeq(events)
	for _, ev := range ch.Events {
		if ev.Seq != next {
			return fmt.Errorf("%w: %s: event %d after %d events", ErrChange, arn, ev.Seq, next)
		}
		next++
		if err := events.Put(seqKey(ev.Seq), ev.Data); err != nil {
			return err
		}
	}
	return nil
}

// seqKey is the key of an operation position or event index.
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq) }

// nextSeq returns the Seq after the last key of b (0 when empty).
func nextSeq(b *bolt.Bucket) uint64 {
	k, _ := b.Cursor().Last()
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k) + 1
}

// Delete implements local.Store; deleting an unknown execution is not an
// error.
func (s *Store) Delete(ctx context.Context, arn string) error {
	if err := s.check(ctx, arn); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketExecutions).DeleteBucket([]byte(arn))
		if errors.Is(err, bolterrors.ErrBucketNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return s.wrap("delete", err)
	}
	return nil
}

// LoadAll implements local.Store: it returns a copy of every stored
// execution.
func (s *Store) LoadAll(ctx context.Context) (map[string]*local.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]*local.Record{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketExecutions).ForEachBucket(func(arn []byte) error {
			rec, err := readRecord(tx.Bucket(bucketExecutions).Bucket(arn))
			if err != nil {
				return fmt.Errorf("execution %s: %w", arn, err)
			}
			out[string(arn)] = rec
			return nil
		})
	})
	if err != nil {
		return nil, s.wrap("load", err)
	}
	return out, nil
}

// readRecord copies one execution out of its bucket (keys and values point
// into the memory map, which outlives no transaction).
func readRecord(exec *bolt.Bucket) (*local.Record, error) {
	rec := &local.Record{Header: bytes.Clone(exec.Get(keyHeader))}
	if rec.Header == nil {
		return nil, errors.New("no header")
	}
	for _, sub := range []struct {
		name []byte
		dst  *[]local.Entry
	}{{bucketOps, &rec.Ops}, {bucketEvents, &rec.Events}} {
		b := exec.Bucket(sub.name)
		if b == nil {
			continue
		}
		err := b.ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("%s: key %x is not a sequence number", sub.name, k)
			}
			*sub.dst = append(*sub.dst, local.Entry{Seq: binary.BigEndian.Uint64(k), Data: bytes.Clone(v)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// Close releases the file. Calls on a closed Store return ErrClosed.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close: %w", err)
	}
	return nil
}

func (s *Store) check(ctx context.Context, arn string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if arn == "" {
		return ErrEmptyKey
	}
	return nil
}

func (s *Store) wrap(op string, err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("boltstore: %s: %w", op, ErrClosed)
	}
	return fmt.Errorf("boltstore: %s: %w", op, err)
}
