package checkpoint

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// ErrClosed is returned by a Checkpointer used after Close.
var ErrClosed = errors.New("checkpoint: checkpointer closed")

// ErrNoToken is wrapped by the error a Checkpointer reports after the service
// answered without a checkpoint token: the invocation may record nothing more.
var ErrNoToken = errors.New("the service returned no checkpoint token: this invocation may record nothing more")

// CheckpointerConfig configures NewCheckpointer.
type CheckpointerConfig struct {
	// Client is the service client (required).
	Client Client
	// ExecutionARN is the durable execution's ARN (required).
	ExecutionARN string
	// Token is the checkpoint token from the invocation event (required).
	Token string
	// Mode decides when updates are sent (nil: Eager).
	Mode Mode
	// OnState receives every NewExecutionState delta (and the pages that
	// follow it) from the goroutine that sent the request, before the
	// commits waiting on that response return. It must not call back into
	// the Checkpointer.
	OnState func(*ExecutionState)
	// AfterFunc schedules f after d for Batched.MaxDelay and StartDelay;
	// nil uses time.AfterFunc. Tests inject a fake to fire it on demand.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// MaxBatchBytes and MaxBatchUpdates cap one request (0: the package
	// defaults MaxBatchBytes and MaxBatchUpdates).
	MaxBatchBytes   int
	MaxBatchUpdates int
}

// Checkpointer sends operation updates to the service in the order they
// were enqueued, one request at a time, in requests of at most
// MaxBatchUpdates updates and MaxBatchBytes bytes. An EXECUTION update
// always ends its request. It uses the invocation's token first and then
// each response's token. Its Mode's policy decides, at each Point, what
// must be durable before the engine goes on (At), and which thresholds send
// queued updates in the background.
//
// A caller that must wait for durability sends the request itself when no
// other request is in flight (group commit: what others queued meanwhile
// travels with it); background sends (thresholds, StartDelay) come from a
// goroutine of the Checkpointer and never block the caller.
//
// It retries nothing: the first failed call makes the Checkpointer fail, and
// every later call reports that error (classified by IsRetryable).
type Checkpointer struct {
	cfg      CheckpointerConfig
	ctx      context.Context
	maxBytes int
	maxUpd   int
	policy   policy
	// fireAge and fireStart are the timer callbacks, bound once.
	fireAge, fireStart func()

	wake chan struct{}
	done chan struct{}
	// stopWake unregisters the wake-up of the waiters when ctx is done
	// (nil if ctx is never done).
	stopWake func() bool

	mu          sync.Mutex
	cond        sync.Cond
	queue       []OperationUpdate
	batch       []OperationUpdate // the request being sent (reused)
	in          CheckpointInput   // the request being sent (reused)
	queuedBytes int
	enqueued    uint64 // updates ever enqueued
	sent        uint64 // updates made durable
	flushTo     uint64 // send at least up to here regardless of the policy
	sending     bool   // a request is in flight
	aged        bool
	stopAge     func() bool
	// open holds the sequence number (1-based) of each STEP or CONTEXT
	// START not yet sent whose operation has no outcome queued yet.
	open      map[string]uint64
	stopStart func() bool // the StartDelay timer, when armed
	startMark uint64      // STARTs up to here are due when it fires
	token     string
	err       error
	closed    bool
	ids       map[string]uint8
}

// NewCheckpointer starts a Checkpointer. ctx bounds every call it makes to
// the service; Close stops it.
func NewCheckpointer(ctx context.Context, cfg CheckpointerConfig) (*Checkpointer, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("checkpoint: NewCheckpointer: nil Client")
	case cfg.ExecutionARN == "":
		return nil, errors.New("checkpoint: NewCheckpointer: empty ExecutionARN")
	case cfg.Token == "":
		return nil, errors.New("checkpoint: NewCheckpointer: empty Token")
	}
	if err := ValidateMode(cfg.Mode); err != nil {
		return nil, err
	}
	c := &Checkpointer{
		cfg:      cfg,
		ctx:      ctx,
		maxBytes: orDefault(cfg.MaxBatchBytes, MaxBatchBytes),
		maxUpd:   orDefault(cfg.MaxBatchUpdates, MaxBatchUpdates),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		token:    cfg.Token,
		ids:      make(map[string]uint8),
		open:     make(map[string]uint64),
	}
	c.cond.L = &c.mu
	c.fireAge, c.fireStart = c.age, c.startTimer
	if ctx.Done() != nil {
		// One registration serves every wait whose context is done when
		// ctx is (the engine's are), instead of one per wait.
		c.stopWake = context.AfterFunc(ctx, c.wakeWaiters)
	}
	mode := cfg.Mode
	if mode == nil {
		mode = Eager{}
	}
	c.policy = mode.policy()
	if c.cfg.AfterFunc == nil {
		c.cfg.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	go c.loop()
	return c, nil
}

// Enqueue appends updates to the queue without waiting. They are sent when
// the policy's thresholds say so, or at the next point that must be
// durable.
func (c *Checkpointer) Enqueue(updates ...OperationUpdate) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enqueueLocked(updates)
}

func (c *Checkpointer) enqueueLocked(updates []OperationUpdate) error {
	if c.closed {
		return ErrClosed
	}
	if c.err != nil {
		return c.err
	}
	if len(updates) == 0 {
		return nil
	}
	wasEmpty := len(c.queue) == 0
	c.queue = append(c.queue, updates...)
	for i := range updates {
		u := &updates[i]
		c.queuedBytes += UpdateSize(u)
		c.enqueued++
		if u.Type == TypeStep || u.Type == TypeContext {
			if u.Action == ActionStart {
				c.open[u.Id] = c.enqueued
			} else if len(c.open) > 0 {
				delete(c.open, u.Id)
			}
		}
	}
	if len(c.open) > 0 && c.stopStart == nil {
		c.startMark = c.enqueued
		c.stopStart = c.cfg.AfterFunc(StartDelay, c.fireStart)
	}
	if wasEmpty && c.policy.sendAge > 0 && c.stopAge == nil {
		c.stopAge = c.cfg.AfterFunc(c.policy.sendAge, c.fireAge)
	}
	if c.shouldSendLocked() {
		c.signal()
	}
	return nil
}

// age is the Batched.MaxDelay timer.
func (c *Checkpointer) age() {
	c.mu.Lock()
	c.aged = true
	c.stopAge = nil
	send := c.shouldSendLocked()
	c.mu.Unlock()
	if send {
		c.signal()
	}
}

// startTimer is the StartDelay timer: a START queued before it was armed
// whose operation is still running is due, with everything before it.
func (c *Checkpointer) startTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopStart = nil
	if c.closed {
		return
	}
	for id, seq := range c.open {
		switch {
		case seq <= c.sent:
			delete(c.open, id) // sent with another request
		case seq <= c.startMark:
			c.flushTo = max(c.flushTo, c.enqueued)
		}
	}
	if len(c.open) > 0 {
		c.startMark = c.enqueued
		c.stopStart = c.cfg.AfterFunc(StartDelay, c.fireStart)
	}
	if c.shouldSendLocked() {
		c.signal()
	}
}

// At reports that the invocation reached pt, after the engine enqueued the
// point's updates. It returns once the policy's requirement for pt holds:
// at once, or when everything enqueued so far is durable (reporting an
// earlier failure, if any).
func (c *Checkpointer) At(ctx context.Context, pt Point) error {
	return c.flush(ctx, pt, false)
}

// Commit enqueues updates and reports the Outcome point: in eager mode it
// returns once everything enqueued so far is durable; in the other modes
// as their policy says.
func (c *Checkpointer) Commit(ctx context.Context, updates ...OperationUpdate) error {
	if err := c.Enqueue(updates...); err != nil {
		return err
	}
	return c.At(ctx, Outcome)
}

// Sync returns once everything enqueued so far is durable, whatever the
// mode.
func (c *Checkpointer) Sync(ctx context.Context) error {
	return c.flush(ctx, 0, true)
}

// flush waits until everything enqueued is durable if always is set or
// the policy requires it at pt.
func (c *Checkpointer) flush(ctx context.Context, pt Point, always bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return ErrClosed
	case c.err != nil:
		return c.err
	case !always && !c.policy.mustBeDurable(pt, c.stateLocked()):
		return nil
	}
	return c.waitLocked(ctx, c.enqueued)
}

// waitLocked waits, with c.mu held, until target updates are durable,
// sending the requests itself when no other request is in flight and ctx
// ends with the Checkpointer's context (else the background goroutine
// sends them, so that the wait can end with ctx).
func (c *Checkpointer) waitLocked(ctx context.Context, target uint64) error {
	if c.sent >= target {
		return nil
	}
	if target > c.flushTo {
		c.flushTo = target
	}
	own := ctx.Done() == c.ctx.Done()
	if done := ctx.Done(); !own && done != nil {
		stop := context.AfterFunc(ctx, c.wakeWaiters)
		defer stop()
	}
	yielded := false // see yieldLocked
	for c.sent < target {
		switch {
		case c.err != nil:
			return c.err
		case c.closed:
			return ErrClosed
		case ctx.Err() != nil:
			return ctx.Err()
		case !c.sending && own:
			if !yielded {
				yielded = true
				c.yieldLocked()
				if c.err != nil || c.closed || ctx.Err() != nil {
					// Not sending after all: the waiters that came
					// meanwhile must not wait for a request that is not.
					c.cond.Broadcast()
					continue
				}
			}
			c.sendLocked()
			continue
		case !c.sending:
			c.signal()
		}
		c.cond.Wait()
	}
	return nil
}

// yieldLocked lets the other runnable goroutines run once before a
// waiter sends its own request, with the request marked in flight so that
// they do not send theirs: concurrent operations (the items of a map) that
// reach their commit meanwhile wait for the same request instead of making
// one each. Every waiter still returns only once its updates are durable.
func (c *Checkpointer) yieldLocked() {
	c.sending = true
	c.mu.Unlock()
	runtime.Gosched()
	c.mu.Lock()
	c.sending = false
}

// wakeWaiters wakes every waitLocked so that it checks its context.
func (c *Checkpointer) wakeWaiters() {
	c.mu.Lock()
	c.cond.Broadcast()
	c.mu.Unlock()
}

// Err returns the error that made the Checkpointer fail, if any.
func (c *Checkpointer) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Pending returns the number of updates enqueued but not yet durable.
func (c *Checkpointer) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(c.enqueued - c.sent)
}

// Close stops the background goroutine after the request in flight, if any.
// Updates still queued are dropped: call Sync first to keep them. Close is
// idempotent.
func (c *Checkpointer) Close() error {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	for _, stop := range []*func() bool{&c.stopAge, &c.stopStart} {
		if *stop != nil {
			(*stop)()
			*stop = nil
		}
	}
	c.cond.Broadcast()
	c.mu.Unlock()
	if !already {
		c.signal()
	}
	<-c.done
	if c.stopWake != nil {
		c.stopWake()
	}
	c.mu.Lock()
	for c.sending { // a waiter's request
		c.cond.Wait()
	}
	c.mu.Unlock()
	return nil
}

func (c *Checkpointer) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Checkpointer) stateLocked() queueState {
	return queueState{
		queued:      len(c.queue),
		queuedBytes: c.queuedBytes,
		notDurable:  int(c.enqueued - c.sent),
		aged:        c.aged,
	}
}

// shouldSendLocked reports whether the background goroutine sends now.
func (c *Checkpointer) shouldSendLocked() bool {
	if len(c.queue) == 0 || c.err != nil || c.closed || c.sending {
		return false
	}
	return c.flushTo > c.sent || c.policy.sendNow(c.stateLocked())
}

func (c *Checkpointer) loop() {
	defer close(c.done)
	for range c.wake {
		c.mu.Lock()
		for c.shouldSendLocked() {
			c.sendLocked()
		}
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return
		}
	}
}

// sendLocked sends the next request; c.mu is held on entry and on return,
// released during the call.
func (c *Checkpointer) sendLocked() {
	c.sending = true
	n, size := c.cutLocked()
	c.in = CheckpointInput{DurableExecutionArn: c.cfg.ExecutionARN, CheckpointToken: c.token, Updates: c.batch[:n]}
	c.mu.Unlock()
	next, err := c.send(&c.in)
	c.mu.Lock()
	clear(c.batch[:n]) // keep no payload alive
	c.in.Updates = nil
	c.sending = false
	if err != nil {
		c.err = err
	} else {
		c.token = next
		c.sent += uint64(n)
	}
	c.queuedBytes -= size
	if len(c.queue) == 0 {
		c.aged = false
		if c.stopAge != nil {
			c.stopAge()
			c.stopAge = nil
		}
	}
	c.cond.Broadcast()
	if c.shouldSendLocked() {
		c.signal() // the caller may return before what is left is sent
	}
}

// send makes one request and hands the new state to OnState.
func (c *Checkpointer) send(in *CheckpointInput) (string, error) {
	if in.CheckpointToken == "" {
		// An earlier response carried no token: nothing more may be recorded.
		return "", &Error{Operation: OpCheckpoint, Message: ErrNoToken.Error(), Err: ErrNoToken}
	}
	batch := in.Updates
	out, err := c.cfg.Client.Checkpoint(c.ctx, in)
	if err != nil {
		return "", err
	}
	if out == nil || out.CheckpointToken == "" {
		// The service ends an execution's recording with its EXECUTION
		// update (always last in its request): no token is the expected
		// answer to it. Anything else may record nothing more.
		if len(batch) == 0 || batch[len(batch)-1].Type != TypeExecution {
			return "", &Error{Operation: OpCheckpoint, Message: ErrNoToken.Error(), Err: ErrNoToken}
		}
		return "", nil
	}
	if st := out.NewExecutionState; st != nil {
		err := ReadPages(c.ctx, c.cfg.Client, c.cfg.ExecutionARN, out.CheckpointToken, st, func(page *ExecutionState) error {
			if err := ValidateOperations(page.Operations); err != nil {
				return &Error{Operation: OpCheckpoint, Message: err.Error(), Err: err}
			}
			if c.cfg.OnState != nil {
				c.cfg.OnState(page)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return out.CheckpointToken, nil
}

// cutLocked moves the next request's updates from the queue to c.batch and
// returns their number and size: at most maxUpd updates and maxBytes bytes
// (a single larger update travels alone), one update per id except a STEP
// or CONTEXT START followed by its completion, and nothing after an
// EXECUTION update.
func (c *Checkpointer) cutLocked() (int, int) {
	const (
		seenStart = 1
		seenOther = 2
	)
	clear(c.ids)
	n, size := 0, 0
	for n < len(c.queue) {
		u := &c.queue[n]
		sz := UpdateSize(u)
		if n > 0 {
			if n+1 > c.maxUpd || size+sz > c.maxBytes {
				break
			}
			if prev, ok := c.ids[u.Id]; ok && (prev != seenStart || u.Action == ActionStart) {
				break
			}
		}
		if u.Action == ActionStart && (u.Type == TypeStep || u.Type == TypeContext) {
			c.ids[u.Id] = seenStart
		} else {
			c.ids[u.Id] = seenOther
		}
		size += sz
		n++
		if u.Type == TypeExecution {
			break
		}
	}
	if n == len(c.queue) {
		// The whole queue goes: swap the buffers instead of copying.
		c.batch, c.queue = c.queue, c.batch[:0]
		return n, size
	}
	c.batch = append(c.batch[:0], c.queue[:n]...)
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	return n, size
}

// UpdateSize estimates the bytes u takes in a request body: its JSON-escaped
// strings plus a fixed allowance for keys and punctuation.
func UpdateSize(u *OperationUpdate) int {
	const overhead = 160
	n := overhead + len(u.Id) + len(u.ParentId) + len(u.Name) + len(u.SubType) + len(u.Type) + len(u.Action)
	n += escapedLen(u.Payload)
	if e := u.Error; e != nil {
		n += 64 + escapedLen(e.ErrorType) + escapedLen(e.ErrorMessage) + escapedLen(e.ErrorData)
		for _, s := range e.StackTrace {
			n += 3 + escapedLen(s)
		}
	}
	if o := u.ChainedInvokeOptions; o != nil {
		n += len(o.FunctionName) + len(o.TenantId)
	}
	return n
}

// escapedLen is len(s) once JSON-escaped (an upper bound for < > &).
func escapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == '"' || b == '\\':
			n++
		case b < 0x20 || b == '<' || b == '>' || b == '&':
			n += 5
		}
	}
	return n
}
