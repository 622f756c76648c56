package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lambda-durable/durable/conformance/match"
	"github.com/lambda-durable/durable/conformance/spec"
)

var (
	// ErrNoHandler fails a requirement whose id has no registered Factory.
	ErrNoHandler = errors.New("no handler registered")
	// ErrNoRunner is returned when the Harness has no Runner to run requirements with.
	ErrNoRunner = errors.New("no runner")
)

// Harness judges requirements with one registry, runner and seed.
type Harness struct {
	Registry Registry
	Runner   Runner
	// Seed drives ${GEN_STR:n}: the same seed generates the same variables.
	Seed uint64
	// Timeout bounds one run; zero means only ctx bounds it.
	Timeout time.Duration
}

// Outcome is the verdict on one requirement.
type Outcome struct {
	File spec.File
	// Errs lists what failed, most telling first (status and result, then
	// history, then logs); empty means the requirement passed.
	Errs []error
	// KnownFailure is the reason the requirement is listed as a known
	// failure, or "" when it is not listed.
	KnownFailure string
	// Observation and Logs are what the run produced (nil when it did not
	// get that far), for diagnosing a failure.
	Observation *Observation
	Logs        []map[string]any
}

// Passed reports whether the requirement passed.
func (o Outcome) Passed() bool { return len(o.Errs) == 0 }

// Err returns every failure joined, or nil.
func (o Outcome) Err() error { return errors.Join(o.Errs...) }

// Check loads, runs and judges the requirement in f.
func (h *Harness) Check(ctx context.Context, f spec.File) Outcome {
	out := Outcome{File: f}
	fail := func(err error) Outcome {
		out.Errs = append(out.Errs, err)
		return out
	}
	req, err := f.Load()
	if err != nil {
		return fail(err)
	}
	if req, err = req.Resolve(h.Seed); err != nil {
		return fail(err)
	}
	factory, ok := h.Registry[f.ID]
	if !ok || factory == nil {
		return fail(fmt.Errorf("%w for requirement %s (%s): add one to the handlers registry", ErrNoHandler, f.ID, f.Path))
	}
	return h.Run(ctx, req, factory)
}

// Run runs a resolved requirement with the functions factory builds and
// judges its history, result and logs.
func (h *Harness) Run(ctx context.Context, req *spec.Requirement, factory Factory) Outcome {
	out := Outcome{File: spec.File{Suite: req.Suite, ID: req.ID, Path: req.Path}}
	fail := func(err error) Outcome {
		out.Errs = append(out.Errs, err)
		return out
	}
	if h.Runner == nil {
		return fail(ErrNoRunner)
	}
	if h.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.Timeout)
		defer cancel()
	}
	logs := &syncBuffer{}
	obs, err := h.Runner.Run(ctx, req, factory, Env{Logs: logs})
	if err != nil {
		return fail(fmt.Errorf("run: %w", err))
	}
	records, err := match.DecodeLogs(logs.reader())
	if err != nil {
		return fail(fmt.Errorf("reading logs: %w", err))
	}
	out.Observation, out.Logs = obs, records
	out.Errs = Evaluate(req, obs, records)
	return out
}

// Evaluate checks an observation and the run's log records against a resolved
// requirement and returns the failures, most telling first. The history is
// matched first so that its bindings serve the result and log checks.
func Evaluate(req *spec.Requirement, obs *Observation, records []map[string]any) []error {
	if obs == nil {
		return []error{errors.New("the runner returned no observation")}
	}
	b := match.Bindings{}
	historyErr := match.History(req.ExpectedExecutionHistory, obs.History, b)
	resultErr := match.Result(req.ExpectedResult, obs.Status, obs.Result, b)
	if resultErr != nil && obs.Error != nil {
		resultErr = fmt.Errorf("%w (execution error %s: %s)", resultErr, obs.Error.ErrorType, obs.Error.ErrorMessage)
	}
	logsErr := match.Logs(req.ExpectedLogs, records, b)
	var errs []error
	for _, err := range []error{resultErr, historyErr, logsErr} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) reader() *bytes.Reader {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.NewReader(bytes.Clone(s.buf.Bytes()))
}
