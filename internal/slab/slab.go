// Package slab allocates many values of one type in a few chunks: decoding
// or copying n operations then costs O(log n) allocations instead of one
// per details object.
package slab

import "github.com/lambda-durable/durable/checkpoint"

// maxChunk bounds a chunk, and so the memory that one value still in use
// keeps alive.
const maxChunk = 1024

// Slab hands out pointers to zero Ts, allocated in chunks that double in
// size (1, 2, 4, ... up to 1024). The zero Slab is ready to use. A Slab is
// not safe for concurrent use.
type Slab[T any] struct {
	free  []T
	chunk int // the size of the last chunk
}

// New returns a pointer to a zero T, distinct from every other it returned.
func (s *Slab[T]) New() *T {
	if len(s.free) == 0 {
		s.chunk = min(max(2*s.chunk, 1), maxChunk)
		s.free = make([]T, s.chunk)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// Details holds a slab for each details object of a checkpoint.Operation
// (and for error objects), for code that decodes or copies many operations.
type Details struct {
	Execution     Slab[checkpoint.ExecutionDetails]
	Context       Slab[checkpoint.ContextDetails]
	Step          Slab[checkpoint.StepDetails]
	Wait          Slab[checkpoint.WaitDetails]
	Callback      Slab[checkpoint.CallbackDetails]
	ChainedInvoke Slab[checkpoint.ChainedInvokeDetails]
	Error         Slab[checkpoint.ErrorObject]
}
