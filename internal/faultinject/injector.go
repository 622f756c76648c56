package faultinject

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lambda-durable/durable/checkpoint"
)

// The API operations an Injector counts.
const (
	OpCheckpoint = checkpoint.OpCheckpoint
	OpGetState   = checkpoint.OpGetExecutionState
)

// ErrInjected is wrapped by every error an Injector makes up itself
// (transport faults); service errors are the service's own.
var ErrInjected = errors.New("faultinject: injected fault")

// Rule faults some calls.
type Rule struct {
	// Op restricts the rule to one operation (OpCheckpoint, OpGetState);
	// empty matches both, counted together.
	Op string
	// At is the 1-based number of the first faulted call among the calls
	// the rule matches (its Op and Match).
	At int
	// Times is how many consecutive matching calls are faulted (0 means 1).
	Times int
	// Kind is the fault.
	Kind Kind
	// Match, if set, restricts the rule to the checkpoint calls it accepts
	// (state reads never match); At then counts those calls.
	Match func(in *checkpoint.CheckpointInput) bool
}

// Carries matches the checkpoint calls that carry an update of operation id
// with action.
func Carries(id string, action checkpoint.Action) func(in *checkpoint.CheckpointInput) bool {
	return func(in *checkpoint.CheckpointInput) bool {
		for _, u := range in.Updates {
			if u.Id == id && u.Action == action {
				return true
			}
		}
		return false
	}
}

// String describes the rule, e.g. "throttle at CheckpointDurableExecution
// #3 x1".
func (r Rule) String() string {
	op := r.Op
	if op == "" {
		op = "any call"
	}
	if r.Match != nil {
		op += " (matching)"
	}
	return fmt.Sprintf("%s at %s #%d x%d", r.Kind, op, r.At, max(r.Times, 1))
}

// Injector decides which calls fail and how, and counts what it did. It is
// safe for concurrent use. Use one Injector at one layer (Client and Hook,
// or HTTP): each layer counts the calls it sees.
type Injector struct {
	rules []Rule

	mu       sync.Mutex
	calls    map[string]int
	total    int
	matched  []int // per rule: calls it matched
	updates  []checkpoint.OperationUpdate
	injected map[Kind]int
	crashes  int
	problems []error
	traffic  []Exchange
	requests int                                 // requests seen by Transport
	expire   map[string]context.CancelCauseFunc  // by Transport request id
	live     map[string]map[context.Context]bool // live invocations by execution ARN
}

// New returns an Injector applying rules (the first matching rule wins).
func New(rules ...Rule) *Injector {
	return &Injector{rules: rules, calls: map[string]int{}, injected: map[Kind]int{}, matched: make([]int, len(rules))}
}

// decide counts a call of op (cp is the checkpoint request, nil for a
// read) and returns the fault to inject, if any: the first rule whose
// count of matching calls is in [At, At+Times).
func (in *Injector) decide(op string, cp *checkpoint.CheckpointInput) (Kind, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.calls[op]++
	in.total++
	if cp != nil {
		in.updates = append(in.updates, cp.Updates...)
	}
	fault, found := Kind(0), false
	for i, r := range in.rules {
		if r.Op != "" && r.Op != op || r.Match != nil && (cp == nil || !r.Match(cp)) {
			continue
		}
		in.matched[i]++
		if n := in.matched[i]; !found && n >= r.At && n < r.At+max(r.Times, 1) {
			fault, found = r.Kind, true
		}
	}
	if found {
		in.injected[fault]++
	}
	return fault, found
}

// Updates returns every update the SDK sent, in order (requests that were
// faulted included).
func (in *Injector) Updates() []checkpoint.OperationUpdate {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]checkpoint.OperationUpdate(nil), in.updates...)
}

// problem records a misuse or a broken expectation found while injecting.
func (in *Injector) problem(err error) {
	in.mu.Lock()
	in.problems = append(in.problems, err)
	in.mu.Unlock()
}

// Calls returns how many calls of op were seen ("" for all operations).
func (in *Injector) Calls(op string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	if op == "" {
		return in.total
	}
	return in.calls[op]
}

// Injected returns how many faults were injected.
func (in *Injector) Injected() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, c := range in.injected {
		n += c
	}
	return n
}

// InjectedKind returns how many faults of kind k were injected.
func (in *Injector) InjectedKind(k Kind) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.injected[k]
}

// Crashes returns how many invocations were killed (see Function).
func (in *Injector) Crashes() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.crashes
}

// Err returns the problems found while injecting, joined: a fault that
// could not be delivered (no Hook, no kill switch, unsupported over HTTP) or
// an idempotent retry answered differently from the first call. Tests
// should check it is nil.
func (in *Injector) Err() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return errors.Join(in.problems...)
}
