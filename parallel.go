package durable

import "github.com/lambda-durable/durable/internal/engine"

// Branch is one branch of Parallel: a function run in its own child context,
// named Name ("" for unnamed).
type Branch[O any] struct {
	// Name names the branch's operation (1 to 256 printable ASCII
	// characters, or "" for unnamed).
	Name string
	// Func is the branch's body.
	Func func(ctx Context) (O, error)
}

// NamedBranch makes a branch named name running fn, so that named branches
// need no struct literal either:
//
//	durable.Parallel(ctx, "checks", []durable.Branch[bool]{
//		durable.NamedBranch("fraud", checkFraud),
//		durable.NamedBranch("stock", checkStock),
//	})
func NamedBranch[O any](name string, fn func(ctx Context) (O, error)) Branch[O] {
	return Branch[O]{Name: name, Func: fn}
}

// Branches makes unnamed branches of fns, in order.
func Branches[O any](fns ...func(ctx Context) (O, error)) []Branch[O] {
	out := make([]Branch[O], len(fns))
	for i, fn := range fns {
		out[i] = Branch[O]{Func: fn}
	}
	return out
}

// Parallel runs branches concurrently, each in its own child context
// (subtype ParallelBranch) of one Parallel context named name ("" for
// unnamed), and returns their outcomes in branch order. Concurrency,
// completion, abandonment, replay and the large-result path are those of
// Map; branches of different result types use O = any.
func Parallel[O any](ctx Context, name string, branches []Branch[O], opts ...ParallelOption) (*BatchResult[O], error) {
	o := batchOptions(opts, ParallelOption.applyParallel)
	bs := make([]engine.Branch[O], len(branches))
	for i, b := range branches {
		bs[i].Name = b.Name
		if fn := b.Func; fn != nil {
			bs[i].Func = func(c *engine.Context) (O, error) { return fn(wrap(c)) }
		}
	}
	return engine.Parallel(ctx.engine(), name, bs, o)
}
