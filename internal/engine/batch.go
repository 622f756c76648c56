package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// A map or parallel operation is a CONTEXT (subtype Map or Parallel) whose
// items each run in a child CONTEXT (MapIteration or ParallelBranch) with id
// ChildID(batch, index+1), on their own tracked goroutines, at most
// MaxConcurrency at a time, started in index order. After each item
// completes the completion criteria are checked; once they are met, the
// items still running are abandoned (their contexts refuse every further
// update and their open waits, callbacks and invokes are cancelled) and the
// batch context succeeds with the BatchResult as its payload (a summary and
// ReplayChildren when it is too large).

// Branch is one branch of Parallel.
type Branch[O any] struct {
	// Name names the branch's operation ("" for unnamed).
	Name string
	// Func runs the branch in its own child context.
	Func func(*Context) (O, error)
}

// Map runs fn over items, each in a MapIteration child context of a Map
// context named name, and returns the outcomes in index order. Item
// failures are in the result; the error is for the operation itself
// (validation, a closed context, a result that cannot be serialized).
func Map[I, O any](c *Context, name string, items []I, fn func(c *Context, index int, item I) (O, error), o BatchOptions) (*BatchResult[O], error) {
	if fn == nil {
		return nil, &ValidationError{Field: "map function", Message: "nil"}
	}
	return runBatch(c, name, batchSpec[O]{
		subType: checkpoint.SubTypeMap, itemSubType: checkpoint.SubTypeMapIteration, n: len(items),
		body: func(c *Context, i int) (O, error) { return fn(c, i, items[i]) },
	}, o)
}

// Parallel runs branches, each in a ParallelBranch child context of a
// Parallel context named name, and returns the outcomes in index order.
// A branch's Name, when set, overrides o.ItemName.
func Parallel[O any](c *Context, name string, branches []Branch[O], o BatchOptions) (*BatchResult[O], error) {
	for i, b := range branches {
		if b.Func == nil {
			return nil, &ValidationError{Field: "parallel branch", Message: fmt.Sprintf("branch %d has a nil function", i)}
		}
	}
	itemName := o.ItemName
	o.ItemName = func(i int) string {
		if n := branches[i].Name; n != "" || itemName == nil {
			return n
		}
		return itemName(i)
	}
	return runBatch(c, name, batchSpec[O]{
		subType: checkpoint.SubTypeParallel, itemSubType: checkpoint.SubTypeParallelBranch, n: len(branches),
		body: func(c *Context, i int) (O, error) { return branches[i].Func(c) },
	}, o)
}

type batchSpec[O any] struct {
	subType, itemSubType string
	n                    int
	body                 func(c *Context, i int) (O, error)
}

type batchRun[O any] struct {
	run
	contextOutcome
	spec       batchSpec[O]
	o          BatchOptions
	names      []string
	itemSerdes serdes.Serdes
	out        BatchResult[O]
}

func runBatch[O any](c *Context, name string, spec batchSpec[O], o BatchOptions) (*BatchResult[O], error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	b := &batchRun[O]{spec: spec, o: o, names: make([]string, spec.n)}
	if o.ItemName != nil {
		for i := range b.names {
			b.names[i] = o.ItemName(i)
			if err := validateNames(b.names[i], spec.itemSubType); err != nil {
				return nil, &ValidationError{Field: "item name", Message: fmt.Sprintf("item %d: %v", i, err)}
			}
		}
	}
	b.kind = b
	b.op.Type = checkpoint.TypeContext
	b.op.SubType = spec.subType
	b.op.Name = name
	b.itemSerdes = o.ItemSerdes
	if b.itemSerdes == nil {
		b.itemSerdes = c.exec.en.cfg.Serdes
	}
	b.serdes = o.Serdes
	if b.serdes == nil {
		b.serdes = batchCodec[O]{item: b.itemSerdes}
	}
	if err := c.run(&b.run); err != nil {
		return nil, err
	}
	return &b.out, nil
}

func (b *batchRun[O]) result() any { return b.out }
func (b *batchRun[O]) dest() any   { return &b.out }

func (b *batchRun[O]) rerun(rec *checkpoint.Operation) bool { return replaysChildren(rec) }

func (b *batchRun[O]) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
	scope := r.scope.child(ctx, r.op.ID, r.op.Name, r.rec != nil)
	if r.rerun {
		return b.rebuild(scope, r)
	}
	if r.rec == nil {
		if err := e.checkpoint(ctx, r.scope, checkpoint.OperationStart, r.update(checkpoint.ActionStart)); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusStarted
	}
	r.markStarted()
	res := b.runItems(scope)
	payload, err := r.serdes.Serialize(r.serdesContext(), res)
	if err != nil {
		return b.fail(r, scope, asSerdesError(err, r.op.ID, serdes.OpSerialize))
	}
	u := r.update(checkpoint.ActionSucceed)
	summary := len(payload) > e.en.cfg.MaxPayloadBytes
	if summary {
		payload = summarize(&res)
		u.ContextOptions = &checkpoint.ContextOptions{ReplayChildren: true}
	}
	u.Payload = payload
	if err := e.closeScope(scope, u); err != nil {
		return err
	}
	r.op.Status = checkpoint.StatusSucceeded
	r.op.Payload = payload
	b.out = res
	if !summary {
		// Return what a replay will decode from the payload.
		if err := liveAsReplayed(r, payload); err != nil {
			e.abort(err)
		}
	}
	return nil
}

// item is one started item of a running batch.
type item[O any] struct {
	index int
	done  *Event
	ctx   *Context  // the item's context once its body runs (to abandon it)
	async *Async[O] // nested items
	val   O         // flat items
	err   error     // flat items
	child *childRun[O]
}

// runItems runs the items until the completion criteria are met and
// returns the outcome.
func (b *batchRun[O]) runItems(scope *Context) BatchResult[O] {
	e := scope.exec
	n := b.spec.n
	limit := n
	if m := b.o.MaxConcurrency; m != nil && *m < limit {
		limit = *m
	}
	res := BatchResult[O]{Items: make([]BatchItem[O], 0, n)}
	p := BatchProgress{Total: n}
	reason := b.o.Completion.decide(p)
	// The running items by their done event; the watcher reports the items
	// that finished, so each wake-up costs what finished, not what runs.
	running := make(map[*Event]*item[O], min(limit, n))
	w := e.newWatcher()
	var done []*item[O]
	next := 0
	for reason == "" {
		for next < n && len(running) < limit {
			it := b.start(scope, next)
			running[it.done] = it
			w.watch(it.done)
			res.Items = append(res.Items, BatchItem[O]{Index: next, Name: b.names[next], Status: ItemStarted})
			next++
			p.Started++
		}
		done = done[:0]
		for _, ev := range w.wait() {
			done = append(done, running[ev])
			delete(running, ev)
		}
		// Settle in index order, as they would be in a replay.
		slices.SortFunc(done, func(a, b *item[O]) int { return a.index - b.index })
		for _, it := range done {
			bi := &res.Items[it.index]
			b.settle(scope, it, bi)
			if reason == "" {
				if bi.Status == ItemSucceeded {
					p.Succeeded++
				} else {
					p.Failed++
				}
				reason = b.o.Completion.decide(p)
			}
		}
	}
	res.CompletionReason = reason
	left := slices.SortedFunc(maps.Values(running), func(a, b *item[O]) int { return a.index - b.index })
	w.stop(slices.Collect(maps.Keys(running)))
	b.abandon(left)
	return res
}

// start starts item i and returns once its id is assigned.
func (b *batchRun[O]) start(scope *Context, i int) *item[O] {
	it := &item[O]{index: i}
	if b.o.Flat {
		vc := scope.virtualChild(i, b.names[i])
		it.ctx = vc
		it.done = scope.exec.Go(func() { it.val, it.err = b.call(vc, i) })
		return it
	}
	it.child = b.newItem(i, func(c *Context) { it.ctx = c })
	it.async = goRun(scope, &it.child.run, func() O { return it.child.out }, nil)
	it.done = it.async.done
	return it
}

// newItem prepares item i's child context; bound, when set, receives the
// child context as the body starts.
func (b *batchRun[O]) newItem(i int, bound func(*Context)) *childRun[O] {
	var ch *childRun[O]
	ch = newChild(b.names[i], func(c *Context) (O, error) {
		if bound != nil {
			bound(c)
		}
		ch.markStarted()
		return b.call(c, i)
	}, ChildOptions{Serdes: b.itemSerdes, SubType: b.spec.itemSubType})
	return ch
}

// call runs item i's body, turning a panic into the item's error.
func (b *batchRun[O]) call(c *Context, i int) (v O, err error) {
	defer func() {
		if p := recover(); p != nil {
			if isPark(p) {
				panic(p)
			}
			err = newPanicError(p)
		}
	}()
	return b.spec.body(c, i)
}

// settle fills bi from a finished item.
func (b *batchRun[O]) settle(scope *Context, it *item[O], bi *BatchItem[O]) {
	v, err := it.val, it.err
	if it.async != nil {
		v, err = it.async.Get()
	}
	b.outcome(scope, it.index, v, err, bi)
}

// outcome records an item's value or error in bi. Errors are always
// *ChildContextError, as they are when rebuilt from the stored result.
func (b *batchRun[O]) outcome(scope *Context, i int, v O, err error, bi *BatchItem[O]) {
	if err == nil {
		bi.Status, bi.Result = ItemSucceeded, v
		return
	}
	bi.Status = ItemFailed
	var ce *ChildContextError
	if errors.As(err, &ce) {
		bi.Err = ce
		return
	}
	bi.Err = &ChildContextError{OperationID: ChildID(scope.id, int64(i+1)), Name: b.names[i], Object: ErrorObjectOf(err)}
}

// abandon closes the contexts of the items still running and cancels their
// open waits, callbacks and invokes.
func (b *batchRun[O]) abandon(running []*item[O]) {
	for _, it := range running {
		if it.ctx != nil {
			it.ctx.CancelPending()
		}
	}
}

// rebuild recreates the result of a batch recorded with ReplayChildren from
// its summary and its items' records, running nothing live.
func (b *batchRun[O]) rebuild(scope *Context, r *run) error {
	e := scope.exec
	var payload string
	if r.rec.ContextDetails != nil {
		payload = r.rec.ContextDetails.Result
	}
	sum, err := parseSummary(payload)
	if err == nil && len(sum.Items) > b.spec.n {
		err = fmt.Errorf("durable: batch %s recorded %d started items but the code now has %d items", r.op.ID, len(sum.Items), b.spec.n)
	}
	if err != nil {
		e.abort(err)
	}
	res := BatchResult[O]{CompletionReason: sum.CompletionReason, Items: make([]BatchItem[O], len(sum.Items))}
	for i := range sum.Items {
		bi := &res.Items[i]
		bi.Index, bi.Name, bi.Status = i, b.names[i], ItemStarted
		if sum.Items[i] == 'R' {
			if !b.o.Flat {
				scope.NextID() // keep the next item's id
			}
			continue
		}
		var (
			v    O
			ierr error
		)
		if b.o.Flat {
			v, ierr = b.call(scope.virtualChild(i, b.names[i]), i)
		} else {
			id := ChildID(scope.id, int64(i+1))
			if rec := e.Operation(id); rec == nil || !rec.Status.Terminal() {
				// Never run an item live under a completed batch.
				e.abort(fmt.Errorf("durable: batch %s: item %d (operation %s) has no recorded outcome to rebuild from", r.op.ID, i, id))
			}
			ch := b.newItem(i, nil)
			if ierr = scope.run(&ch.run); ierr == nil {
				v = ch.out
			}
		}
		b.outcome(scope, i, v, ierr, bi)
	}
	scope.Abandon()
	b.out = res
	return nil
}
