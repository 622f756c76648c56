package checkpoint

import (
	"context"
	"errors"
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
	// follow it) from the background goroutine, before the commits waiting
	// on that response return. It must not call back into the Checkpointer.
	OnState func(*ExecutionState)
	// AfterFunc schedules f after d for Batched.MaxDelay; nil uses
	// time.AfterFunc. Tests inject a fake to fire it on demand.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// MaxBatchBytes and MaxBatchUpdates cap one request (0: the package
	// defaults MaxBatchBytes and MaxBatchUpdates).
	MaxBatchBytes   int
	MaxBatchUpdates int
}

// Checkpointer sends operation updates to the service from one background
// goroutine, in the order they were enqueued, in requests of at most
// MaxBatchUpdates updates and MaxBatchBytes bytes. An EXECUTION update
// always ends its request. It uses the invocation's token first and then each
// response's token. Its Mode decides when queued updates are sent.
//
// It retries nothing: the first failed call makes the Checkpointer fail, and
// every later call reports that error (classified by IsRetryable).
type Checkpointer struct {
	cfg      CheckpointerConfig
	ctx      context.Context
	maxBytes int
	maxUpd   int
	batched  Batched
	eager    bool
	optim    bool

	wake chan struct{}
	done chan struct{}
	// stopWake unregisters the wake-up of the waiters when ctx is done
	// (nil if ctx is never done).
	stopWake func() bool

	mu          sync.Mutex
	cond        sync.Cond
	queue       []OperationUpdate
	queuedBytes int
	enqueued    uint64 // updates ever enqueued
	sent        uint64 // updates made durable
	flushTo     uint64 // send at least up to here regardless of the mode
	aged        bool
	stopTimer   func() bool
	token       string
	err         error
	closed      bool
	ids         map[string]uint8
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
	}
	c.cond.L = &c.mu
	if ctx.Done() != nil {
		// One registration serves every wait whose context is done when
		// ctx is (the engine's are), instead of one per wait.
		c.stopWake = context.AfterFunc(ctx, c.wakeWaiters)
	}
	switch m := cfg.Mode.(type) {
	case nil, Eager, *Eager:
		c.eager = true
	case Optimistic, *Optimistic:
		c.optim = true
	case Batched:
		c.batched = m
	case *Batched:
		c.batched = *m
	}
	c.batched.MaxUpdates = min(orDefault(c.batched.MaxUpdates, c.maxUpd), c.maxUpd)
	c.batched.MaxBytes = min(orDefault(c.batched.MaxBytes, c.maxBytes), c.maxBytes)
	if c.cfg.AfterFunc == nil {
		c.cfg.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	go c.loop()
	return c, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Enqueue appends updates to the queue without waiting. They are sent when
// the mode says so, or by the next Commit (eager) or Sync.
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
		c.queuedBytes += UpdateSize(&updates[i])
	}
	c.enqueued += uint64(len(updates))
	if wasEmpty && !c.eager && !c.optim && c.batched.MaxDelay > 0 && c.stopTimer == nil {
		c.stopTimer = c.cfg.AfterFunc(c.batched.MaxDelay, c.age)
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
	c.stopTimer = nil
	c.mu.Unlock()
	c.signal()
}

// Commit enqueues updates and marks an operation boundary. In eager mode it
// returns once everything enqueued so far is durable; in the other modes it
// returns at once (reporting an earlier failure, if any).
func (c *Checkpointer) Commit(ctx context.Context, updates ...OperationUpdate) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enqueueLocked(updates); err != nil {
		return err
	}
	if !c.eager {
		return nil
	}
	return c.waitLocked(ctx, c.enqueued)
}

// Sync returns once everything enqueued so far is durable, whatever the
// mode.
func (c *Checkpointer) Sync(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if c.err != nil {
		return c.err
	}
	target := c.enqueued
	if target > c.flushTo {
		c.flushTo = target
		c.signal()
	}
	return c.waitLocked(ctx, target)
}

// waitLocked waits, with c.mu held, until target updates are durable.
func (c *Checkpointer) waitLocked(ctx context.Context, target uint64) error {
	if c.sent >= target {
		return nil
	}
	if target > c.flushTo && c.eager {
		c.flushTo = target
	}
	if done := ctx.Done(); done != nil && done != c.ctx.Done() {
		stop := context.AfterFunc(ctx, c.wakeWaiters)
		defer stop()
	}
	for c.sent < target {
		switch {
		case c.err != nil:
			return c.err
		case c.closed:
			return ErrClosed
		case ctx.Err() != nil:
			return ctx.Err()
		}
		c.cond.Wait()
	}
	return nil
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
	if c.stopTimer != nil {
		c.stopTimer()
		c.stopTimer = nil
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
	return nil
}

func (c *Checkpointer) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Checkpointer) shouldSendLocked() bool {
	if len(c.queue) == 0 || c.err != nil || c.closed {
		return false
	}
	if c.eager || c.flushTo > c.sent {
		return true
	}
	if c.optim {
		return false
	}
	return c.aged || len(c.queue) >= c.batched.MaxUpdates || c.queuedBytes >= c.batched.MaxBytes
}

func (c *Checkpointer) loop() {
	defer close(c.done)
	for range c.wake {
		c.mu.Lock()
		for c.shouldSendLocked() {
			batch, size := c.cutLocked()
			token := c.token
			c.mu.Unlock()
			next, err := c.send(token, batch)
			c.mu.Lock()
			if err != nil {
				c.err = err
			} else {
				c.token = next
				c.sent += uint64(len(batch))
			}
			c.queuedBytes -= size
			if len(c.queue) == 0 {
				c.aged = false
				if c.stopTimer != nil {
					c.stopTimer()
					c.stopTimer = nil
				}
			}
			c.cond.Broadcast()
		}
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return
		}
	}
}

// send makes one request and hands the new state to OnState.
func (c *Checkpointer) send(token string, batch []OperationUpdate) (string, error) {
	if token == "" {
		// An earlier response carried no token: nothing more may be recorded.
		return "", &Error{Operation: "CheckpointDurableExecution", Message: ErrNoToken.Error(), Err: ErrNoToken}
	}
	out, err := c.cfg.Client.Checkpoint(c.ctx, &CheckpointInput{
		DurableExecutionArn: c.cfg.ExecutionARN,
		CheckpointToken:     token,
		Updates:             batch,
	})
	if err != nil {
		return "", err
	}
	if out == nil || out.CheckpointToken == "" {
		// The service ends an execution's recording with its EXECUTION
		// update (always last in its request): no token is the expected
		// answer to it. Anything else may record nothing more.
		if len(batch) == 0 || batch[len(batch)-1].Type != TypeExecution {
			return "", &Error{Operation: "CheckpointDurableExecution", Message: ErrNoToken.Error(), Err: ErrNoToken}
		}
		return "", nil
	}
	state := out.NewExecutionState
	for state != nil {
		if c.cfg.OnState != nil {
			c.cfg.OnState(state)
		}
		if state.NextMarker == "" {
			break
		}
		state, err = c.cfg.Client.GetExecutionState(c.ctx, &StateInput{
			DurableExecutionArn: c.cfg.ExecutionARN,
			CheckpointToken:     out.CheckpointToken,
			Marker:              state.NextMarker,
			MaxItems:            1000,
		})
		if err != nil {
			return "", err
		}
	}
	return out.CheckpointToken, nil
}

// cutLocked takes the next request's updates off the queue: at most maxUpd
// updates and maxBytes bytes (a single larger update travels alone), one
// update per id except a STEP or CONTEXT START followed by its completion,
// and nothing after an EXECUTION update.
func (c *Checkpointer) cutLocked() ([]OperationUpdate, int) {
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
	batch := make([]OperationUpdate, n)
	copy(batch, c.queue[:n])
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	return batch, size
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
