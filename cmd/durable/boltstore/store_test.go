package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
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

// change builds a change with a header and the given events, numbered
// from first.
func change(header string, first uint64, events ...string) *local.Change {
	ch := &local.Change{Header: []byte(header)}
	for i, ev := range events {
		ch.Events = append(ch.Events, local.Entry{Seq: first + uint64(i), Data: []byte(ev)})
	}
	return ch
}

// summary renders a record as header|ops|events.
func summary(r *local.Record) string {
	if r == nil {
		return "<nil>"
	}
	var ops, events []string
	for _, e := range r.Ops {
		ops = append(ops, fmt.Sprintf("%d=%s", e.Seq, e.Data))
	}
	for _, e := range r.Events {
		events = append(events, fmt.Sprintf("%d=%s", e.Seq, e.Data))
	}
	return fmt.Sprintf("%s|%s|%s", r.Header, strings.Join(ops, ","), strings.Join(events, ","))
}

func TestSaveLoadDeleteSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "durable.db")
	s := open(t, path)
	a1 := change("h1", 0, "e0", "e1")
	a1.Ops = []local.Entry{{Seq: 0, Data: []byte("o0")}, {Seq: 1, Data: []byte("o1")}}
	if err := s.Save(ctx, "arn:a", a1); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "arn:b", change("hb", 0, "e0")); err != nil {
		t.Fatal(err)
	}
	a2 := change("h2", 2, "e2") // appends an event, replaces an operation
	a2.Ops = []local.Entry{{Seq: 1, Data: []byte("o1'")}, {Seq: 2, Data: []byte("o2")}}
	if err := s.Save(ctx, "arn:a", a2); err != nil {
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
	want := "h2|0=o0,1=o1',2=o2|0=e0,1=e1,2=e2"
	if len(got) != 1 || summary(got["arn:a"]) != want {
		t.Fatalf("LoadAll after reopen = %d records, arn:a = %s; want only arn:a = %s", len(got), summary(got["arn:a"]), want)
	}
}

// TestRejectsGaps checks that a change leaving a hole in the history or
// the operations is refused whole.
func TestRejectsGaps(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "d.db"))
	if err := s.Save(ctx, "arn:a", change("h1", 0, "e0")); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "arn:a", change("h2", 2, "e2")); !errors.Is(err, boltstore.ErrChange) {
		t.Fatalf("an event after a gap: %v, want ErrChange", err)
	}
	gapOp := change("h3", 1, "e1")
	gapOp.Ops = []local.Entry{{Seq: 5, Data: []byte("o5")}}
	if err := s.Save(ctx, "arn:a", gapOp); !errors.Is(err, boltstore.ErrChange) {
		t.Fatalf("an operation after a gap: %v, want ErrChange", err)
	}
	got, _ := s.LoadAll(ctx)
	if sum := summary(got["arn:a"]); sum != "h1||0=e0" {
		t.Fatalf("after refused changes arn:a = %s, want h1||0=e0", sum)
	}
}

func TestLoadAllReturnsCopies(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "d.db"))
	ch := change("abc", 0, "ev")
	if err := s.Save(ctx, "k", ch); err != nil {
		t.Fatal(err)
	}
	ch.Header[0] = 'X' // the caller's slices are not retained
	ch.Events[0].Data[0] = 'X'
	first, _ := s.LoadAll(ctx)
	first["k"].Header[1] = 'Y' // nor are the returned ones shared
	first["k"].Events[0].Data[1] = 'Y'
	second, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum := summary(second["k"]); sum != "abc||0=ev" {
		t.Fatalf("stored record = %s, want abc||0=ev", sum)
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
	if err := s.Save(ctx, "", change("x", 0)); !errors.Is(err, boltstore.ErrEmptyKey) {
		t.Errorf("Save with empty key: %v, want ErrEmptyKey", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Save(cancelled, "k", change("x", 0)); !errors.Is(err, context.Canceled) {
		t.Errorf("Save with cancelled ctx: %v, want context.Canceled", err)
	}
	if _, err := s.LoadAll(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadAll with cancelled ctx: %v, want context.Canceled", err)
	}
	if err := s.Save(ctx, "k", nil); !errors.Is(err, boltstore.ErrChange) {
		t.Errorf("Save without a change: %v, want ErrChange", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "k", change("x", 0)); !errors.Is(err, boltstore.ErrClosed) {
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
				if err := s.Save(ctx, fmt.Sprintf("arn:%d", i), change(fmt.Sprint(j), uint64(j), fmt.Sprint(j))); err != nil {
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
		r := got[fmt.Sprintf("arn:%d", i)]
		if r == nil || string(r.Header) != "9" || len(r.Events) != 10 {
			t.Errorf("arn:%d = %s, want header 9 and 10 events", i, summary(r))
		}
	}
}

// TestConcurrentSavesFailAlone saves good and bad changes of many
// executions at once (they share transactions): each bad one is refused,
// every good one is stored.
func TestConcurrentSavesFailAlone(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "d.db"))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			arn := fmt.Sprintf("arn:%d", i)
			for j := range 5 {
				first := uint64(j)
				if i%4 == 0 && j == 2 {
					first = 9 // a gap: refused
				}
				err := s.Save(ctx, arn, change(fmt.Sprint(j), first, fmt.Sprint(j)))
				if bad := first == 9; bad != errors.Is(err, boltstore.ErrChange) {
					t.Errorf("%s save %d: %v", arn, j, err)
				}
				if first == 9 {
					return
				}
			}
		})
	}
	wg.Wait()
	got, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		want := "4||0=0,1=1,2=2,3=3,4=4"
		if i%4 == 0 {
			want = "1||0=0,1=1"
		}
		if sum := summary(got[fmt.Sprintf("arn:%d", i)]); sum != want {
			t.Errorf("arn:%d = %s, want %s", i, sum, want)
		}
	}
}
