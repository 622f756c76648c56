package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

type functionConfig struct {
	plain           bool
	noContextClient bool
	invokeTimeout   time.Duration
	execTimeout     time.Duration
	qualifier       string
	retention       time.Duration
}

type config struct {
	clock       Clock
	store       Store
	limits      Limits
	retryBudget int
	logger      *slog.Logger
	region      string
	account     string
	manual      bool
	skipping    TimeSkipping
	hook        func(ctx context.Context, op, resource string) error
	// retention and maxExecutions bound what the service keeps of ended
	// executions (retention.go).
	retention     time.Duration
	maxExecutions int
}

// function is a registered function.
type function struct {
	name string
	arn  string // unqualified
	fn   Function
	cfg  functionConfig
}

// cbRef locates a callback.
type cbRef struct{ arn, opId string }

// task is queued work in manual mode: an invocation of e, or (opId set) a
// call of the plain function behind e's CHAINED_INVOKE opId.
type task struct {
	e    *execution
	opId string
}

// Service is the local durable execution service. It is safe for concurrent
// use. Create it with New or Open and release it with Close.
type Service struct {
	cfg    config
	clock  Clock
	limits Limits
	log    *slog.Logger
	ctx    context.Context // canceled by Close; parent of invocation contexts
	cancel context.CancelFunc

	mu        sync.Mutex
	functions map[string]*function
	execs     map[string]*execution
	order     []*execution // in start order
	seq       int64
	tokens    map[string]*execution
	callbacks map[string]cbRef
	timers    timerHeap
	timerSeq  uint64
	wakeStop  func() bool
	wakeAt    time.Time
	wakeGen   uint64
	running   int                     // invocations and plain calls in flight
	queue     []task                  // manual mode
	plainWait []task                  // plain calls waiting for their function to be registered
	unsaved   map[*execution]struct{} // executions whose last save failed
	changed   chan struct{}
	closed    bool
	skipping  bool
	wg        sync.WaitGroup
}

// New returns a Service. With a store holding unfinished executions, it
// resumes them (re-arms timers, and re-invokes their functions once they are
// registered). A store that fails to load is logged; use Open to get the
// error instead.
func New(opts ...Option) *Service {
	s, err := Open(opts...)
	if err != nil {
		s.log.Error("local: loading the store failed", "err", err)
	}
	return s
}

// Open is New, returning the error of loading the store (the Service is
// usable, without the executions that failed to load).
func Open(opts ...Option) (*Service, error) {
	cfg := config{retryBudget: 3, region: "us-east-1", account: "123456789012", retention: DefaultRetention}
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.clock == nil {
		cfg.clock = RealClock()
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.retryBudget < 0 {
		cfg.retryBudget = 0
	}
	cfg.limits = cfg.limits.withDefaults()
	s := &Service{
		cfg:       cfg,
		clock:     cfg.clock,
		limits:    cfg.limits,
		log:       cfg.logger,
		functions: map[string]*function{},
		execs:     map[string]*execution{},
		tokens:    map[string]*execution{},
		callbacks: map[string]cbRef{},
		unsaved:   map[*execution]struct{}{},
		changed:   make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var err error
	if cfg.store != nil {
		err = s.load()
	}
	s.settle()
	return s, err
}

// Close stops the timers, cancels the contexts of running invocations and
// waits for them to return. What they do afterwards is not recorded: with a
// store, a new Service resumes from the last recorded state.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.stopWakeLocked()
	s.notifyLocked()
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.clock }

// Limits returns the limits in force.
func (s *Service) Limits() Limits { return s.limits }

// RegisterFunction registers fn under name (1-64 characters of
// [A-Za-z0-9_-]). By default the function is durable and finds the
// in-process checkpoint client in its context. Executions restored from the
// store that wait for this function are invoked now.
func (s *Service) RegisterFunction(name string, fn Function, opts ...FunctionOption) error {
	if !validId(name, 64) {
		return invalidf("function name %q: must be 1-64 characters of [A-Za-z0-9_-]", clip(name))
	}
	if fn == nil {
		return invalidf("function %s: nil Function", name)
	}
	cfg := functionConfig{qualifier: "$LATEST"}
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.qualifier == "" {
		cfg.qualifier = "$LATEST"
	}
	s.mu.Lock()
	if _, dup := s.functions[name]; dup {
		s.mu.Unlock()
		return conflictf("function %s is already registered", name)
	}
	s.functions[name] = &function{name: name, arn: s.functionArn(name), fn: fn, cfg: cfg}
	for _, e := range s.order {
		if e.FunctionName == name {
			s.kickLocked(e)
		}
	}
	waiting := s.plainWait
	s.plainWait = nil
	for _, t := range waiting {
		s.startPlainLocked(t.e, t.opId)
	}
	s.mu.Unlock()
	s.settle()
	return nil
}

// FunctionArn returns the unqualified ARN of a registered function, given
// its name or ARN.
func (s *Service) FunctionArn(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.resolveLocked(name)
	if f == nil {
		return "", notFoundf("Function not found: %s", clip(name))
	}
	return f.arn, nil
}

// resolveLocked finds a function by name (my-function), name with
// qualifier (my-function:v1), partial ARN
// (123456789012:function:my-function[:v1]) or ARN
// (arn:aws:lambda:us-east-1:123456789012:function:my-function[:v1]). The
// match is exact: the account and region must be the service's, and a
// qualifier must be the one the function was registered with. It returns
// nil for anything else.
func (s *Service) resolveLocked(ref string) *function {
	rest, ok := s.unqualifiedRef(ref)
	if !ok {
		return nil
	}
	name, qualifier, qualified := strings.Cut(rest, ":")
	f := s.functions[name]
	if f == nil || qualified && qualifier != f.cfg.qualifier {
		return nil
	}
	return f
}

// unqualifiedRef strips the ARN or partial ARN prefix of the service's
// account and region from a function reference, leaving
// <name>[:<qualifier>]. ok is false for another account or region, or
// another kind of ARN.
func (s *Service) unqualifiedRef(ref string) (rest string, ok bool) {
	if rest, ok := strings.CutPrefix(ref, s.functionArn("")); ok {
		return rest, true
	}
	if strings.HasPrefix(ref, "arn:") {
		return "", false
	}
	if rest, ok := strings.CutPrefix(ref, s.cfg.account+":function:"); ok {
		return rest, true
	}
	return ref, !strings.Contains(ref, ":function:")
}

// callHook runs the API hook, if any.
func (s *Service) callHook(ctx context.Context, op, resource string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.cfg.hook != nil {
		return s.cfg.hook(ctx, op, resource)
	}
	return nil
}

// notifyLocked wakes everyone waiting for a state change.
func (s *Service) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (called with s.mu held) holds.
func (s *Service) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// execLocked finds an execution by ARN.
func (s *Service) execLocked(arn string) (*execution, error) {
	if arn == "" {
		return nil, invalidf("DurableExecutionArn is required")
	}
	e := s.execs[arn]
	if e == nil {
		return nil, notFoundf("Durable execution not found: %s", clip(arn))
	}
	return e, nil
}

// load restores the executions of the store.
func (s *Service) load() error {
	recs, err := s.cfg.store.LoadAll(context.Background())
	if err != nil {
		return fmt.Errorf("local: loading executions: %w", err)
	}
	var errs []error
	s.mu.Lock()
	defer s.mu.Unlock()
	for arn, rec := range recs {
		e, err := decodeExecution(arn, rec)
		if err != nil {
			errs = append(errs, fmt.Errorf("local: execution %s: unreadable record: %w", clip(arn), err))
			continue
		}
		s.execs[arn] = e
		s.order = append(s.order, e)
		s.seq = max(s.seq, e.Seq)
	}
	sort.Slice(s.order, func(i, j int) bool { return s.order[i].Seq < s.order[j].Seq })
	now := s.clock.Now()
	for _, e := range s.order {
		if e.Status.Terminal() {
			s.armRetentionLocked(e)
			continue
		}
		for _, o := range e.Ops {
			if o.Type == checkpoint.TypeCallback && o.Status == checkpoint.StatusStarted && o.CallbackDetails != nil {
				s.callbacks[o.CallbackDetails.CallbackId] = cbRef{arn: e.Arn, opId: o.Id}
			}
			if m := e.Meta[o.Id]; m != nil && m.PlainTarget != "" && o.Status == checkpoint.StatusStarted {
				s.plainWait = append(s.plainWait, task{e: e, opId: o.Id})
			}
		}
		if e.Invoking {
			e.addEvent(Event{EventType: EventInvocationCompleted, EventTimestamp: now,
				InvocationCompletedDetails: &InvocationCompletedDetails{
					StartTimestamp: e.InvocationStart, EndTimestamp: now, RequestId: e.RequestId,
					Error: eventError(&checkpoint.ErrorObject{ErrorType: "Sandbox.Interrupted",
						ErrorMessage: "the local service stopped while this invocation was running"}),
				}})
			e.Invoking = false
			if e.Outcome != nil {
				s.finishOutcomeLocked(e)
				s.persistLocked(e)
				continue
			}
			e.Triggered = true
		}
		s.armTimersLocked(e)
		s.persistLocked(e)
	}
	s.processTimersLocked()
	s.evictOverCapLocked()
	return errors.Join(errs...)
}
