package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/lambda-durable/durable/cmd/durable/boltstore"
)

func open(t *testing.T, path string) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.WithoutSync(), boltstore.WithOpenTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSaveLoadDeleteSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "durable.db")
	s := open(t, path)
	if err := s.Save(ctx, "arn:a", []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "arn:b", []byte(`{"v":2}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "arn:a", []byte(`{"v":3}`)); err != nil { // replace
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "arn:b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "arn:unknown"); err != nil {
		t.Fatalf("Delete unknown: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := open(t, path)
	got, err := s2.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || string(got["arn:a"]) != `{"v":3}` {
		t.Fatalf("LoadAll after reopen = %q, want only arn:a = {\"v\":3}", got)
	}
}

func TestLoadAllReturnsCopies(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "d.db"))
	blob := []byte("abc")
	if err := s.Save(ctx, "k", blob); err != nil {
		t.Fatal(err)
	}
	blob[0] = 'X' // the caller's slice is not retained
	first, _ := s.LoadAll(ctx)
	first["k"][1] = 'Y' // nor is the returned one shared
	second, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(second["k"]) != "abc" {
		t.Fatalf("stored blob = %q, want abc", second["k"])
	}
}

func TestEmptyStore(t *testing.T) {
	got, err := open(t, filepath.Join(t.TempDir(), "d.db")).LoadAll(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("LoadAll on a new file = %v, %v; want empty, nil", got, err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "d.db")

	if _, err := boltstore.Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := boltstore.Open(filepath.Join(dir, "missing", "d.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open in a missing directory: %v, want os.ErrNotExist", err)
	}

	s := open(t, path)
	if _, err := boltstore.Open(path, boltstore.WithOpenTimeout(10*time.Millisecond)); !errors.Is(err, boltstore.ErrLocked) {
		t.Errorf("second Open of a file in use: %v, want ErrLocked", err)
	}
	if err := s.Save(ctx, "", []byte("x")); !errors.Is(err, boltstore.ErrEmptyKey) {
		t.Errorf("Save with empty key: %v, want ErrEmptyKey", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Save(cancelled, "k", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Save with cancelled ctx: %v, want context.Canceled", err)
	}
	if _, err := s.LoadAll(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadAll with cancelled ctx: %v, want context.Canceled", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "k", nil); !errors.Is(err, boltstore.ErrClosed) {
		t.Errorf("Save after Close: %v, want ErrClosed", err)
	}
	if _, err := s.LoadAll(ctx); !errors.Is(err, boltstore.ErrClosed) {
		t.Errorf("LoadAll after Close: %v, want ErrClosed", err)
	}
}

func TestRejectsOtherFormatVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("version"), []byte("99"))
	})
	_ = db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := boltstore.Open(path); !errors.Is(err, boltstore.ErrFormat) {
		t.Fatalf("Open of a version 99 file: %v, want ErrFormat", err)
	}
}

func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "d.db"))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				if err := s.Save(ctx, fmt.Sprintf("arn:%d", i), fmt.Appendf(nil, "%d", j)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		if v := string(got[fmt.Sprintf("arn:%d", i)]); v != "9" {
			t.Errorf("arn:%d = %q, want the last write 9", i, v)
		}
	}
}
