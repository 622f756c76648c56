package durable

import "github.com/lambda-durable/durable/internal/engine"

// Map runs fn over items, each item in its own child context (subtype
// MapIteration) of one Map context named name ("" for unnamed), on its own
// goroutine. Results come back in index order in a BatchResult.
//
// Items start in index order, at most WithMaxConcurrency at a time (default:
// all at once). After each item completes the completion options decide
// whether the batch is over: WithMinSuccessful, WithToleratedFailureCount,
// WithToleratedFailurePercentage, WithCompletionCheck; with none of them the
// first failure ends it (fail fast). Items still running then are abandoned:
// they can record nothing more and their open waits, callbacks and invokes
// are cancelled. Items that never started are absent from the result.
//
// An item that fails is in the result (BatchResult.Err turns failures into
// an error); the error returned here is for the operation itself: invalid
// options (*ValidationError, before anything is recorded), a closed context,
// a result that cannot be serialized. A map recorded by an earlier
// invocation returns its recorded result; a map interrupted by a suspension
// (an item waiting) resumes its unfinished items. A result over the payload
// limit is stored as a summary with ReplayChildren and rebuilt from the
// items' records on replay.
func Map[I, O any](ctx Context, name string, items []I, fn func(ctx Context, index int, item I) (O, error), opts ...MapOption) (*BatchResult[O], error) {
	var body func(*engine.Context, int, I) (O, error)
	if fn != nil {
		body = func(c *engine.Context, i int, item I) (O, error) { return fn(wrap(c), i, item) }
	}
	return engine.Map(ctx.engine(), name, items, body, mapOptions(opts))
}

func mapOptions(opts []MapOption) engine.BatchOptions {
	return batchOptions(opts, MapOption.applyMap)
}

// Batch is a group of consecutive items that MapBatches hands to one child
// context.
type Batch[I any] struct {
	// Index is the batch's position among the batches.
	Index int
	// Start is the index of the batch's first item in the input.
	Start int
	// Items are the batch's items.
	Items []I
}

// ItemBatcher groups items into batches for MapBatches: a batch closes when
// it holds MaxItems items or when the next item would take it over
// MaxBytes bytes (an item larger than MaxBytes forms a batch alone). At
// least one limit must be set.
type ItemBatcher[I any] struct {
	// MaxItems is the most items per batch (0: no count limit).
	MaxItems int
	// MaxBytes is the most item bytes per batch (0: no size limit).
	MaxBytes int
	// Size returns an item's size in bytes (nil: the length of its JSON
	// encoding).
	Size func(item I) (int, error)
}

// MapBatches is Map over batches of items: batcher groups the items, and
// each batch runs in one child context, so a large input costs fewer
// operations. The BatchResult has one entry per batch.
func MapBatches[I, O any](ctx Context, name string, items []I, batcher ItemBatcher[I], fn func(ctx Context, batch Batch[I]) (O, error), opts ...MapOption) (*BatchResult[O], error) {
	batches, err := batcher.split(items)
	if err != nil {
		return nil, err
	}
	var body func(*engine.Context, int, Batch[I]) (O, error)
	if fn != nil {
		body = func(c *engine.Context, _ int, b Batch[I]) (O, error) { return fn(wrap(c), b) }
	}
	return engine.Map(ctx.engine(), name, batches, body, mapOptions(opts))
}
