package durable

import (
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/serdes"
)

// BatchResult is the outcome of Map and Parallel: the items that started,
// in index order, with their status, result or error, and the reason the
// batch completed. Helpers: Results, Succeeded, Failed, Started, Errors,
// counts, HasFailure, Status and Err (a *BatchError when any item failed).
// It encodes to JSON in the form the batch's context stores.
type BatchResult[O any] = engine.BatchResult[O]

// BatchItem is one item of a BatchResult. Err, when the item failed, is a
// *ChildContextError carrying the recorded ErrorObject (equal on replay).
type BatchItem[O any] = engine.BatchItem[O]

// BatchError is BatchResult.Err: every item error, the first one giving the
// ErrorType. errors.As finds an item error of a given type.
type BatchError = engine.BatchError

// BatchProgress is what a completion check (WithCompletionCheck) sees after
// each item completes.
type BatchProgress = engine.BatchProgress

// CompletionReason says why a batch completed.
type CompletionReason = engine.CompletionReason

// The completion reasons.
const (
	// CompletionAllCompleted: every item ran to an outcome.
	CompletionAllCompleted = engine.CompletionAllCompleted
	// CompletionMinSuccessfulReached: WithMinSuccessful items succeeded.
	CompletionMinSuccessfulReached = engine.CompletionMinSuccessfulReached
	// CompletionFailureToleranceExceeded: more items failed than tolerated
	// (with no completion option at all: the first failure).
	CompletionFailureToleranceExceeded = engine.CompletionFailureToleranceExceeded
)

// ItemStatus is an item's status in a BatchResult.
type ItemStatus = engine.ItemStatus

// The item statuses.
const (
	// ItemSucceeded: the item returned a result.
	ItemSucceeded = engine.ItemSucceeded
	// ItemFailed: the item returned an error.
	ItemFailed = engine.ItemFailed
	// ItemStarted: the item was still running when the batch completed; it
	// was abandoned and could record nothing more.
	ItemStarted = engine.ItemStarted
)

// MapOption configures Map and MapBatches.
type MapOption interface{ applyMap(*engine.BatchOptions) }

// ParallelOption configures Parallel.
type ParallelOption interface{ applyParallel(*engine.BatchOptions) }

// BatchOption is the result of the options of both Map and Parallel: a
// MapOption and a ParallelOption.
type BatchOption struct{ set func(*engine.BatchOptions) }

func (o BatchOption) applyMap(b *engine.BatchOptions)      { o.set(b) }
func (o BatchOption) applyParallel(b *engine.BatchOptions) { o.set(b) }

// WithSerdes on Map or Parallel encodes the whole BatchResult[O] stored as
// the operation's result (default: a JSON form whose item results use the
// item serdes). It receives and decodes into a BatchResult[O] value.
func (o SerdesOption) applyMap(b *engine.BatchOptions)      { b.Serdes = o.s }
func (o SerdesOption) applyParallel(b *engine.BatchOptions) { b.Serdes = o.s }

// batchOptions applies opts with applyOne.
func batchOptions[O any](opts []O, applyOne func(O, *engine.BatchOptions)) engine.BatchOptions {
	var b engine.BatchOptions
	apply(opts, func(o O) { applyOne(o, &b) })
	return b
}

// WithMaxConcurrency runs at most n items at once (default: all). n must be
// at least 1: 0 or less is a *ValidationError and nothing is recorded.
func WithMaxConcurrency(n int) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.MaxConcurrency = &n }}
}

// WithMinSuccessful completes the batch (MIN_SUCCESSFUL_REACHED) as soon as
// n items succeeded (n >= 1); the items still running are abandoned.
func WithMinSuccessful(n int) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.Completion.MinSuccessful = &n }}
}

// WithToleratedFailureCount completes the batch
// (FAILURE_TOLERANCE_EXCEEDED) as soon as more than n items failed (n >= 0;
// 0 means fail fast).
func WithToleratedFailureCount(n int) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.Completion.ToleratedFailureCount = &n }}
}

// WithToleratedFailurePercentage completes the batch
// (FAILURE_TOLERANCE_EXCEEDED) as soon as the failed items exceed p percent
// (0 to 100) of all items. Exactly p percent is tolerated.
func WithToleratedFailurePercentage(p float64) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.Completion.ToleratedFailurePercentage = &p }}
}

// WithCompletionCheck asks check after each item completes; a non-empty
// reason completes the batch with it (the items still running are
// abandoned). When check returns "" the other criteria apply; a batch with
// a check does not fail fast by default.
func WithCompletionCheck(check func(BatchProgress) CompletionReason) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.Completion.Check = check }}
}

// WithItemSerdes encodes each item's result (default: the handler's serdes).
func WithItemSerdes(s serdes.Serdes) BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.ItemSerdes = s }}
}

// WithFlatNesting runs the items in virtual child contexts that are not
// checkpointed: an item's operations are recorded directly under the
// batch's context (fewer operations, smaller histories), and an item's
// outcome is rebuilt on replay by running it again over its recorded
// operations. An item's own result is then stored only in the batch result.
func WithFlatNesting() BatchOption {
	return BatchOption{func(o *engine.BatchOptions) { o.Flat = true }}
}

type mapOption func(*engine.BatchOptions)

func (f mapOption) applyMap(b *engine.BatchOptions) { f(b) }

// WithItemNamer names each item's operation namer(index): for Map the index
// of the item in items, for MapBatches the index of the batch. A namer that
// needs the item reads it from the slice it closes over:
//
//	durable.WithItemNamer(func(i int) string { return "charge-" + orders[i].ID })
//
// so that no namer can disagree with the items' type. Names are 1 to 256
// printable ASCII characters; "" leaves an item unnamed.
func WithItemNamer(namer func(index int) string) MapOption {
	return mapOption(func(b *engine.BatchOptions) { b.ItemName = namer })
}
