package durable

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"
)

// ExecutionStartTime returns when the execution started, as recorded: the
// same value on every replay.
func ExecutionStartTime(ctx Context) time.Time {
	return ctx.engine().ExecutionStartTime()
}

// Now returns the current time, recorded as a step named "now" so that
// replays see the same value. Use it instead of time.Now in workflow code.
func Now(ctx Context) (time.Time, error) {
	return Step(ctx, "now", func(StepContext) (time.Time, error) { return time.Now().UTC(), nil })
}

// UUID returns a version 4 UUID derived from the execution and the call's
// position in the workflow: random-looking, yet the same on every replay.
// It consumes an operation id but records nothing.
func UUID(ctx Context) string {
	b := ctx.engine().Seed()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Rand returns a random source seeded from the execution and the call's
// position in the workflow: the same sequence on every replay. It consumes an
// operation id but records nothing. The source is not safe for concurrent
// use.
func Rand(ctx Context) *rand.Rand {
	b := ctx.engine().Seed()
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(b[0:8]), binary.LittleEndian.Uint64(b[8:16])))
}
