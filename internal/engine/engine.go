package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/descriptor"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// Default limits.
const (
	// DefaultMaxPayloadBytes is the largest operation payload the service
	// stores (256 KiB); larger child context results use ReplayChildren.
	DefaultMaxPayloadBytes = 256 * 1024
	// DefaultMaxResponseBytes is the largest serialized result returned in
	// the handler response (6 MiB - 50 B); larger ones are checkpointed.
	DefaultMaxResponseBytes = 6*1024*1024 - 50
)

// ErrNotDurable is wrapped by the error returned for an event that is not a
// durable invocation (no DurableExecutionArn or CheckpointToken).
var ErrNotDurable = errors.New("not a durable invocation")

// ErrMalformedEvent is wrapped by the error returned for an invocation event
// that cannot be understood (bad JSON, unknown operation types or statuses).
var ErrMalformedEvent = errors.New("malformed durable invocation event")

// Config configures an Engine. Only Workflow is required.
type Config struct {
	// Workflow runs the user's code on the root context and returns the
	// execution's result (serialized with Serdes).
	Workflow func(c *Context) (any, error)
	// Client is the service client used when the invocation's context does
	// not carry one (checkpoint.ContextWithClient).
	Client checkpoint.Client
	// DefaultClient builds the client when neither the context nor Client
	// provides one. It is called on the first invocation that needs it
	// (never by NewEngine) and its result is kept.
	DefaultClient func(ctx context.Context) (checkpoint.Client, error)
	// Mode is the checkpoint mode (nil: checkpoint.Eager{}).
	Mode checkpoint.Mode
	// LogHandler receives the SDK's and the workflow's log records (nil:
	// logging.DefaultHandler(os.Stderr, slog.LevelInfo)).
	LogHandler slog.Handler
	// ShowReplayLogs emits records logged while replaying, marked replay=true.
	ShowReplayLogs bool
	// Serdes encodes the execution's input and output and is the default of
	// every operation (nil: serdes.JSON{}).
	Serdes serdes.Serdes
	// DefaultRetry is the step retry strategy when a step sets none (nil:
	// retry.Default()).
	DefaultRetry retry.Strategy
	// MaxPayloadBytes and MaxResponseBytes override the defaults above.
	MaxPayloadBytes  int
	MaxResponseBytes int
	// Middleware wraps every operation (replays included); AttemptMiddleware
	// every live step attempt; CheckpointMiddleware every service call;
	// InvocationMiddleware every invocation. The first of each is outermost.
	Middleware           []middleware.Middleware
	AttemptMiddleware    []middleware.Middleware
	CheckpointMiddleware []middleware.CheckpointMiddleware
	InvocationMiddleware []middleware.InvocationMiddleware
	// AfterFunc is passed to the checkpointer (tests use it for
	// Batched.MaxDelay); nil uses time.AfterFunc.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
}

// Engine runs invocations of one durable handler. Its middleware chains are
// composed once, in NewEngine. It is safe for concurrent use.
type Engine struct {
	cfg          Config
	opChain      middleware.Handler
	attemptChain middleware.Handler
	client       checkpoint.Client
	invoke       middleware.InvocationHandler
	// exposeResult: user middlewares may read middleware.Operation.Result,
	// so every operation boxes its Go value into it (otherwise only a step's
	// attempt does, for encodeStage).
	exposeResult bool

	mu            sync.Mutex
	defaultClient checkpoint.Client
}

// NewEngine validates cfg, fills its defaults and composes its chains.
func NewEngine(cfg Config) (*Engine, error) {
	if cfg.Workflow == nil {
		return nil, &ValidationError{Field: "workflow", Message: "nil workflow function"}
	}
	if err := checkpoint.ValidateMode(cfg.Mode); err != nil {
		return nil, &ValidationError{Field: "checkpoint mode", Message: err.Error()}
	}
	if cfg.MaxPayloadBytes < 0 || cfg.MaxResponseBytes < 0 {
		return nil, &ValidationError{Field: "limits", Message: "payload and response limits must not be negative"}
	}
	if cfg.Mode == nil {
		cfg.Mode = checkpoint.Eager{}
	}
	if cfg.LogHandler == nil {
		cfg.LogHandler = logging.DefaultHandler(os.Stderr, slog.LevelInfo)
	}
	if cfg.Serdes == nil {
		cfg.Serdes = serdes.JSON{}
	}
	if cfg.DefaultRetry == nil {
		cfg.DefaultRetry = retry.Default()
	}
	if cfg.MaxPayloadBytes == 0 {
		cfg.MaxPayloadBytes = DefaultMaxPayloadBytes
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	en := &Engine{cfg: cfg, exposeResult: len(cfg.Middleware)+len(cfg.AttemptMiddleware) > 0}
	ops := append(append([]middleware.Middleware{guardStage}, cfg.Middleware...), logStage, serdesStage, replayStage, commitStage)
	en.opChain = middleware.Chain(ops...)(executeTerminal)
	attempts := append(append([]middleware.Middleware{attemptGuard}, cfg.AttemptMiddleware...), encodeStage)
	en.attemptChain = middleware.Chain(attempts...)(attemptTerminal)
	en.client = middleware.ChainCheckpoint(cfg.CheckpointMiddleware...)(invocationClient{})
	en.invoke = middleware.ChainInvocation(cfg.InvocationMiddleware...)(en.runInvocation)
	return en, nil
}

// invocationKey carries the invocation's event and base client to the
// innermost handlers.
type invocationKey struct{}

type invocationData struct {
	event  *checkpoint.InvocationEvent
	client checkpoint.Client
}

// invocationClient is the innermost client of the composed checkpoint chain:
// it forwards to the client chosen for the current invocation.
type invocationClient struct{}

func (invocationClient) base(ctx context.Context) (checkpoint.Client, error) {
	if d, ok := ctx.Value(invocationKey{}).(*invocationData); ok && d.client != nil {
		return d.client, nil
	}
	return nil, &checkpoint.Error{Message: "no checkpoint client in the context: a checkpoint middleware must pass next the context it received (or one derived from it)"}
}

func (c invocationClient) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	b, err := c.base(ctx)
	if err != nil {
		return nil, err
	}
	return b.Checkpoint(ctx, in)
}

func (c invocationClient) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	b, err := c.base(ctx)
	if err != nil {
		return nil, err
	}
	return b.GetExecutionState(ctx, in)
}

// ParseEvent decodes and checks a durable invocation event. Errors wrap
// ErrNotDurable or ErrMalformedEvent.
func ParseEvent(payload []byte) (*checkpoint.InvocationEvent, error) {
	var ev checkpoint.InvocationEvent
	var pre *checkpoint.ExecutionState
	if n := countOperations(payload); n > 0 {
		// Decoding appends to a slice that already has room for every
		// operation, instead of growing it (and copying) as it goes.
		pre = &checkpoint.ExecutionState{Operations: make([]checkpoint.Operation, 0, n)}
		ev.InitialExecutionState = pre
	}
	if err := decodeEvent(payload, &ev); err != nil {
		return nil, fmt.Errorf("durable: %w: %v", ErrMalformedEvent, err)
	}
	if st := ev.InitialExecutionState; st != nil && st == pre && len(st.Operations) == 0 && st.NextMarker == "" {
		// The event had no operations after all (an absent state reads as
		// an empty one everywhere in the engine).
		ev.InitialExecutionState = nil
	}
	var missing []string
	if ev.DurableExecutionArn == "" {
		missing = append(missing, "DurableExecutionArn")
	}
	if ev.CheckpointToken == "" {
		missing = append(missing, "CheckpointToken")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("durable: %w: the event has no %s (is the function configured as a durable function?)",
			ErrNotDurable, strings.Join(missing, " or "))
	}
	if ev.InitialExecutionState != nil {
		if err := checkOperations(ev.InitialExecutionState.Operations); err != nil {
			return nil, err
		}
	}
	return &ev, nil
}

// maxOperationsHint bounds the capacity countOperations may ask for, so a
// hostile payload cannot make ParseEvent allocate far more than its size.
const maxOperationsHint = 4096

// countOperations estimates the number of operations in an invocation event
// from the "Id" keys in it (a key cannot occur inside a JSON string, where
// quotes are escaped). It is only a capacity hint.
func countOperations(payload []byte) int {
	// bytes.Count(payload, []byte(`"Id":`)), but anchored on the rare 'I'
	// rather than on the quote that starts every key and string.
	n := 0
	for i := 0; ; i++ {
		j := bytes.IndexByte(payload[i:], 'I')
		if j < 0 {
			return min(n, maxOperationsHint)
		}
		i += j
		if i > 0 && payload[i-1] == '"' && bytes.HasPrefix(payload[i:], []byte(`Id":`)) {
			n++
		}
	}
}

func checkOperations(ops []checkpoint.Operation) error {
	if err := checkpoint.ValidateOperations(ops); err != nil {
		return fmt.Errorf("durable: %w: %w", ErrMalformedEvent, err)
	}
	return nil
}

// Invoke runs one invocation: payload is the Lambda event, the result the
// JSON response. Event problems (not durable, malformed) and retryable
// trouble are returned as errors; everything else is a response.
func (en *Engine) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	ev, err := ParseEvent(payload)
	if err != nil {
		return nil, err
	}
	base, err := en.clientFor(ctx)
	if err != nil {
		return nil, &InvocationError{Err: fmt.Errorf("creating the checkpoint client: %w", err)}
	}
	data := &invocationData{event: ev, client: base}
	ctx = context.WithValue(ctx, invocationKey{}, data)
	inv := &middleware.Invocation{
		ExecutionARN: ev.DurableExecutionArn,
		RequestID:    requestID(ctx),
		First:        isFirst(ev),
		StartTime:    time.Now(),

		UpdatedOperationIDs: ev.UpdatedOperationIds,
	}
	if st := ev.InitialExecutionState; st != nil {
		inv.Operations = st.Operations
	}
	descriptor.SetInvocationState(inv, data)
	if err := en.invoke(ctx, inv); err != nil {
		return nil, err
	}
	if inv.Response == nil {
		return nil, errors.New("durable: invocation ended without a response")
	}
	return json.Marshal(inv.Response)
}

func (en *Engine) clientFor(ctx context.Context) (checkpoint.Client, error) {
	if c, ok := checkpoint.ClientFromContext(ctx); ok && c != nil {
		return c, nil
	}
	if en.cfg.Client != nil {
		return en.cfg.Client, nil
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.defaultClient != nil {
		return en.defaultClient, nil
	}
	if en.cfg.DefaultClient == nil {
		return nil, errors.New("no checkpoint client configured")
	}
	c, err := en.cfg.DefaultClient(ctx)
	if err != nil {
		return nil, err
	}
	en.defaultClient = c
	return c, nil
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// isFirst reports whether nothing but the EXECUTION operation is recorded.
func isFirst(ev *checkpoint.InvocationEvent) bool {
	st := ev.InitialExecutionState
	if st == nil {
		return true
	}
	if st.NextMarker != "" {
		return false
	}
	for i := range st.Operations {
		if st.Operations[i].Type != checkpoint.TypeExecution {
			return false
		}
	}
	return true
}

// runInvocation is the innermost invocation handler. It finds the
// invocation's event and client with inv, whatever context an invocation
// middleware passed on, and puts them back in the context for the
// checkpoint chain's innermost client.
func (en *Engine) runInvocation(ctx context.Context, inv *middleware.Invocation) error {
	data, _ := descriptor.InvocationState(inv).(*invocationData)
	if data == nil {
		return fmt.Errorf("durable: %w: next got a *middleware.Invocation the SDK did not create; pass on the one received", middleware.ErrMisuse)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if d, _ := ctx.Value(invocationKey{}).(*invocationData); d != data {
		ctx = context.WithValue(ctx, invocationKey{}, data)
	}
	resp, err := en.execute(ctx, data.event, inv.RequestID)
	inv.Response, inv.Err = resp, err
	if resp != nil {
		inv.Status = resp.Status
	}
	return err
}

// execute loads the state, runs the workflow and builds the response.
func (en *Engine) execute(ctx context.Context, ev *checkpoint.InvocationEvent, reqID string) (*checkpoint.InvocationResponse, error) {
	pages, err := en.loadState(ctx, ev)
	if err != nil {
		return failure(err)
	}
	e, err := newExecution(ctx, en, ev, pages, reqID)
	if err != nil {
		return failure(err)
	}
	return e.run()
}

// loadState collects every recorded operation, paging GetExecutionState
// (checkpoint.ReadPages: paging that does not end is an error). It returns
// the pages as they came, without copying them into one slice.
func (en *Engine) loadState(ctx context.Context, ev *checkpoint.InvocationEvent) ([][]checkpoint.Operation, error) {
	st := ev.InitialExecutionState
	if st == nil {
		return nil, nil
	}
	pages := [][]checkpoint.Operation{st.Operations}
	if st.NextMarker == "" {
		return pages, nil
	}
	err := checkpoint.ReadPages(ctx, en.client, ev.DurableExecutionArn, ev.CheckpointToken, st, func(page *checkpoint.ExecutionState) error {
		if page == st {
			return nil // checked by ParseEvent
		}
		if err := checkOperations(page.Operations); err != nil {
			return err
		}
		pages = append(pages, page.Operations)
		return nil
	})
	return pages, err
}

// failure turns an error that ends the invocation into its outcome:
// retryable trouble becomes a Go error for Lambda, anything else FAILED.
func failure(err error) (*checkpoint.InvocationResponse, error) {
	var ie *InvocationError
	if errors.As(err, &ie) {
		return nil, err
	}
	if checkpoint.IsRetryable(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return nil, &InvocationError{Err: err}
	}
	if errors.Is(err, ErrMalformedEvent) {
		return nil, err
	}
	obj := ErrorObjectOf(err)
	var ce *checkpoint.Error
	if errors.As(err, &ce) && !hasErrorType(err) {
		obj.ErrorType = "CheckpointError"
	}
	return &checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed, Error: &obj}, nil
}

func hasErrorType(err error) bool {
	var t interface{ ErrorType() string }
	return errors.As(err, &t)
}
