// Package boltstore is a local.Store kept in a bbolt file, so that the
// executions of a local durable execution service survive a restart of the
// process: stop the server in the middle of a workflow, start it again on
// the same file, and the workflow resumes.
//
// The file holds one bucket of execution blobs keyed by execution ARN and a
// small metadata bucket recording the format version. bbolt locks the file:
// a second process opening it gets ErrLocked after the open timeout.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/lambda-durable/durable/local"
)

// FormatVersion is the version of the file layout this package writes.
const FormatVersion = "1"

var (
	bucketExecutions = []byte("executions")
	bucketMeta       = []byte("meta")
	keyVersion       = []byte("version")
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
)

// Store is a local.Store in a bbolt file. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string
}

var _ local.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	timeout time.Duration
	noSync  bool
}

// WithOpenTimeout bounds how long Open waits for the file lock held by
// another process (default 1 s). It must be positive.
func WithOpenTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithoutSync skips the fsync after each write: faster, but a machine crash
// (not a process crash) may lose the last writes. Meant for tests.
func WithoutSync() Option { return func(o *options) { o.noSync = true } }

// Open opens (creating if needed) the store file at path; its directory must
// exist. Close it when done.
func Open(path string, opts ...Option) (*Store, error) {
	if path == "" {
		return nil, errors.New("boltstore: empty database path")
	}
	o := options{timeout: time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("boltstore: database directory: %w", err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.timeout, NoSync: o.noSync})
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
		return fmt.Errorf("%w: version %q, want %q", ErrFormat, v, FormatVersion)
	}
	_, err = tx.CreateBucketIfNotExists(bucketExecutions)
	return err
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Save implements local.Store: it stores (or replaces) the blob of one
// execution in one durable transaction.
func (s *Store) Save(ctx context.Context, arn string, blob []byte) error {
	if err := s.check(ctx, arn); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketExecutions).Put([]byte(arn), blob)
	})
	if err != nil {
		return s.wrap("save", err)
	}
	return nil
}

// Delete implements local.Store; deleting an unknown execution is not an
// error.
func (s *Store) Delete(ctx context.Context, arn string) error {
	if err := s.check(ctx, arn); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketExecutions).Delete([]byte(arn))
	})
	if err != nil {
		return s.wrap("delete", err)
	}
	return nil
}

// LoadAll implements local.Store: it returns a copy of every stored blob.
func (s *Store) LoadAll(ctx context.Context) (map[string][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketExecutions).ForEach(func(k, v []byte) error {
			// Keys and values point into the memory map: copy them out.
			out[string(k)] = append([]byte(nil), v...)
			return nil
		})
	})
	if err != nil {
		return nil, s.wrap("load", err)
	}
	return out, nil
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
