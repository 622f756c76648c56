package engine

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// Combinator is how Combine decides over several handles. The name is the
// subtype of the CONTEXT operation that records the decision.
type Combinator string

// The combinators.
const (
	// CombineAll waits for every handle; it fails with the first failure
	// (in completion order), after which the others are cancelled.
	CombineAll Combinator = "All"
	// CombineAllSettled waits for every handle, whatever their outcomes.
	CombineAllSettled Combinator = "AllSettled"
	// CombineRace settles with the first handle to end; the others are
	// cancelled.
	CombineRace Combinator = "Race"
	// CombineAny settles with the first handle to succeed (the others are
	// then cancelled), or fails when every handle failed.
	CombineAny Combinator = "Any"
)

// combineWire is the recorded decision: the index of the deciding handle
// (the failure of All, the winner of Race and Any), or -1.
type combineWire struct {
	Index int `json:"index"`
}

type combineRun struct {
	run
	contextOutcome
	how Combinator
	hs  []Awaitable
	out combineWire
}

// Combine waits over hs as how says and records the decision as one
// CONTEXT operation (subtype how) named name, so a replay reaches the same
// decision whatever the order in which the handles now end. It returns the
// deciding index: for All the handle that failed first (-1: none failed),
// for Race the first to end, for Any the first to succeed (-1: all failed),
// for AllSettled -1. Handles no longer needed are cancelled (see each
// handle's Cancel). The handles' outcomes are read from the handles.
func Combine(c *Context, name string, how Combinator, hs []Awaitable) (int, error) {
	switch how {
	case CombineAll, CombineAllSettled, CombineAny:
	case CombineRace:
		if len(hs) == 0 {
			return -1, &ValidationError{Field: "race", Message: "no future to race"}
		}
	default:
		return -1, &ValidationError{Field: "combinator", Message: fmt.Sprintf("unknown combinator %q", how)}
	}
	for i, h := range hs {
		if h == nil {
			return -1, &ValidationError{Field: "future", Message: fmt.Sprintf("future %d is nil", i)}
		}
		if h.execution() != c.exec {
			return -1, &ValidationError{Field: "future", Message: fmt.Sprintf("future %d belongs to another invocation", i)}
		}
	}
	k := &combineRun{how: how, hs: hs}
	k.kind = k
	k.op.Type = checkpoint.TypeContext
	k.op.SubType = string(how)
	k.op.Name = name
	k.serdes = serdes.JSON{}
	if err := c.run(&k.run); err != nil {
		return -1, err
	}
	idx := k.out.Index
	if idx < -1 || idx >= len(hs) {
		c.exec.abort(fmt.Errorf("durable: %s %s recorded index %d for %d futures", how, k.op.ID, idx, len(hs)))
	}
	if how != CombineAllSettled && (idx >= 0 || how == CombineAny) {
		for i, h := range hs {
			if i != idx && !h.doneEvent().Fired() {
				h.cancel()
			}
		}
	}
	return idx, nil
}

func (k *combineRun) result() any { return k.out }
func (k *combineRun) dest() any   { return &k.out }

func (k *combineRun) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
	seen := make([]bool, len(k.hs))
	idx, decided := -1, false
	for !decided {
		var waiting []*Event
		for i, h := range k.hs {
			ev := h.doneEvent()
			if seen[i] {
				continue
			}
			if !ev.Fired() {
				waiting = append(waiting, ev)
				continue
			}
			seen[i] = true
			if decided {
				continue
			}
			failed := h.outcomeErr() != nil
			switch {
			case k.how == CombineRace,
				k.how == CombineAll && failed,
				k.how == CombineAny && !failed:
				idx, decided = i, true
			}
		}
		if decided {
			break
		}
		if len(waiting) == 0 {
			break // every handle ended: All succeeded, Any failed, AllSettled
		}
		e.waitAny(waiting)
	}
	k.out = combineWire{Index: idx}
	payload, err := r.serdes.Serialize(r.serdesContext(), k.out)
	if err != nil {
		return err
	}
	done := r.update(checkpoint.ActionSucceed)
	done.Payload = payload
	if r.rec == nil {
		if err := e.enqueue(r.scope, r.update(checkpoint.ActionStart), done); err != nil {
			return err
		}
	} else if err := e.enqueue(r.scope, done); err != nil {
		return err
	}
	r.op.Status = checkpoint.StatusSucceeded
	r.op.Payload = payload
	return nil
}
