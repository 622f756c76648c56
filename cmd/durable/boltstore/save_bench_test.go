package boltstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
)

// BenchmarkSaveAppend measures one checkpoint-sized save (the header, one
// operation, two events) into an execution that already holds n
// operations and 2n events: the cost should not grow with n.
//
//	cd cmd/durable && go test -run '^$' -bench SaveAppend ./boltstore
func BenchmarkSaveAppend(b *testing.B) {
	header := make([]byte, 400)
	op := make([]byte, 300)
	ev := make([]byte, 250)
	for _, n := range []int{100, 1000, 3000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := openBench(b, boltstore.WithoutSync())
			ctx := context.Background()
			next := uint64(0)
			save := func(i uint64) {
				ch := &local.Change{Header: header, Ops: []local.Entry{{Seq: i, Data: op}},
					Events: []local.Entry{{Seq: next, Data: ev}, {Seq: next + 1, Data: ev}}}
				next += 2
				if err := s.Save(ctx, "arn", ch); err != nil {
					b.Fatal(err)
				}
			}
			for i := range n {
				save(uint64(i))
			}
			b.ReportAllocs()
			i := uint64(n)
			for b.Loop() {
				save(i)
				i++
			}
		})
	}
}
