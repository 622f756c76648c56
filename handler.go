package durable

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/serdes"
)

// Handler is a durable Lambda handler. It implements aws-lambda-go's
// lambda.Handler, so lambda.Start accepts it.
type Handler struct {
	engine *engine.Engine
	err    error
}

// NewHandler builds the handler of the durable workflow fn. The input is
// decoded from the execution's recorded input and the output encoded with
// the handler's serdes (JSON by default). The middleware chains are
// composed here, once. A configuration error is reported by Err and by
// every Invoke.
func NewHandler[I, O any](fn func(ctx Context, input I) (O, error), opts ...HandlerOption) *Handler {
	cfg := engine.Config{DefaultClient: defaultClient}
	for _, o := range opts {
		if o != nil {
			o.applyHandler(&cfg)
		}
	}
	if fn != nil {
		cfg.Workflow = func(c *engine.Context) (any, error) {
			var in I
			sd := c.Execution().Serdes()
			if err := sd.Deserialize(serdes.Context{ExecutionARN: c.ExecutionARN()}, c.InputPayload(), &in); err != nil {
				return nil, err
			}
			return fn(wrap(c), in)
		}
	}
	en, err := engine.NewEngine(cfg)
	return &Handler{engine: en, err: err}
}

func defaultClient(ctx context.Context) (checkpoint.Client, error) {
	return checkpoint.NewDefaultClient(ctx)
}

// Err returns the configuration error found by NewHandler, if any.
func (h *Handler) Err() error { return h.err }

// Invoke runs one invocation: payload is the durable invocation event, the
// result the JSON response ({"Status":"SUCCEEDED"|"FAILED"|"PENDING",...}).
//
// It returns a Go error (so that Lambda retries) for retryable trouble
// (InvocationError, retryable checkpoint errors) and for events it cannot
// use: not a durable invocation (ErrNotDurable), malformed JSON or unknown
// operation types and statuses (ErrMalformedEvent); those are problems of
// the deployment, not of one execution, so they do not fail the execution.
// Every other failure is a FAILED response.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if h.err != nil {
		return nil, fmt.Errorf("durable: handler misconfigured: %w", h.err)
	}
	return h.engine.Invoke(ctx, payload)
}

var _ lambda.Handler = (*Handler)(nil)

// Start runs fn as the function's durable handler: shorthand for
// lambda.Start(NewHandler(fn, opts...)), except that a configuration error
// stops the function at cold start: Start writes the error to standard
// error once and exits with status 1 before serving any invocation, instead
// of failing every invocation (which Lambda would retry).
func Start[I, O any](fn func(ctx Context, input I) (O, error), opts ...HandlerOption) {
	startHandler(NewHandler(fn, opts...), lambda.Start, os.Stderr, os.Exit)
}

// startHandler is Start's body, with the Lambda loop, standard error and
// exit passed in so that a test can observe a refused start.
func startHandler(h *Handler, serve func(handler any), stderr io.Writer, exit func(code int)) {
	if err := h.Err(); err != nil {
		fmt.Fprintf(stderr, "durable: the handler is misconfigured, not starting: %v\n", err)
		exit(1)
		return
	}
	serve(h)
}
