package runtimeapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// Config describes a function executable.
type Config struct {
	// Name is the function's name (AWS_LAMBDA_FUNCTION_NAME and the
	// invoked function ARN). Required.
	Name string
	// Path is the executable, e.g. "./bootstrap". Required.
	Path string
	// Args are passed to the executable.
	Args []string
	// Dir is the working directory (default: the executable's directory,
	// which is also LAMBDA_TASK_ROOT).
	Dir string
	// Env holds extra KEY=VALUE variables; they override the defaults.
	Env []string
	// Region and Account make up the invoked function ARN and AWS_REGION
	// (default us-east-1 and 123456789012, the local service's).
	Region, Account string
	// MemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 128).
	MemoryMB int
	// Timeout bounds an invocation whose context has no deadline (default
	// DefaultTimeout); the runtime sees it as Lambda-Runtime-Deadline-Ms.
	Timeout time.Duration
	// LambdaEndpoint, when set, is the URL the AWS SDK inside the
	// executable sends its Lambda API calls to (AWS_ENDPOINT_URL_LAMBDA),
	// with dummy credentials: the local service's HTTP front.
	LambdaEndpoint string
	// Stdout and Stderr receive the process's output (default: discarded).
	Stdout, Stderr io.Writer
}

// DefaultTimeout is the invocation timeout when neither the invocation's
// context nor Config.Timeout sets one: Lambda's longest.
const DefaultTimeout = 15 * time.Minute

// ErrClosed is returned by Invoke after Close.
var ErrClosed = errors.New("runtimeapi: function closed")

// Function runs an executable behind an emulated Lambda Runtime API. It
// implements local.Function. It is safe for concurrent use: as Lambda does
// with execution environments, it gives each invocation a process of its
// own, reusing an idle one and starting another when all are busy.
type Function struct {
	cfg Config
	arn string

	mu     sync.Mutex
	idle   []*process        // live processes waiting for an invocation
	all    map[*process]bool // every process started and not yet reaped
	closed bool
	starts int
}

// New checks cfg and returns a Function. The executable starts on the first
// Invoke. Release it with Close.
func New(cfg Config) (*Function, error) {
	if cfg.Name == "" {
		return nil, errors.New("runtimeapi: Config.Name is required")
	}
	if cfg.Path == "" {
		return nil, fmt.Errorf("runtimeapi: function %s: Config.Path is required", cfg.Name)
	}
	path, err := executable(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("runtimeapi: function %s: %w", cfg.Name, err)
	}
	cfg.Path = path
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "123456789012"
	}
	if cfg.MemoryMB <= 0 {
		cfg.MemoryMB = 128
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Dir == "" {
		cfg.Dir = filepath.Dir(cfg.Path)
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	arn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", cfg.Region, cfg.Account, cfg.Name)
	return &Function{cfg: cfg, arn: arn, all: map[*process]bool{}}, nil
}

// executable returns the absolute path of the executable file path (a file
// path, as Lambda's bootstrap is, never looked up in $PATH).
func executable(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	switch {
	case err != nil:
		return "", err
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s is not a regular file", path)
	case runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0:
		return "", fmt.Errorf("%s is not executable (chmod +x it)", path)
	}
	return abs, nil
}

// Starts reports how many times the executable has been started.
func (f *Function) Starts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.starts
}

// Invoke sends payload to the executable as one invocation and returns its
// response. A function error (the handler failed) is a *FunctionError; a
// process that exits during the invocation gives an error wrapping
// local.ErrRuntimeExit; when ctx ends first the process is killed and the
// error wraps ctx.Err().
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(f.cfg.Timeout)
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	inv := &invocation{id: newRequestId(), payload: payload, deadline: deadline, done: make(chan outcome, 1)}
	for {
		p, err := f.acquire()
		if err != nil {
			return nil, err
		}
		out, delivered, err := f.invokeOn(ctx, p, inv)
		f.release(p)
		// A reused process that exited before taking the event (as
		// aws-lambda-go does after reporting a panic) never saw it: give
		// it to a new process. A new process that exits first fails.
		if delivered || p.served == 0 {
			return out, err
		}
	}
}

// invokeOn hands inv to p and waits for the outcome; delivered is false if
// p exited before taking it.
func (f *Function) invokeOn(ctx context.Context, p *process, inv *invocation) (out []byte, delivered bool, err error) {
	p.track(inv)
	defer p.untrack(inv)
	select {
	case p.next <- inv:
	case <-p.exited:
		return nil, false, f.exitError(p)
	case <-ctx.Done():
		p.kill()
		return nil, true, fmt.Errorf("runtimeapi: %s: waiting for the runtime to ask for an invocation: %w", f.cfg.Name, ctx.Err())
	}
	defer func() { p.served++ }()
	select {
	case o := <-inv.done:
		return o.body, true, o.err
	case <-p.exited:
		select {
		case o := <-inv.done: // answered just before exiting
			return o.body, true, o.err
		default:
			return nil, true, f.exitError(p)
		}
	case <-ctx.Done():
		p.kill()
		return nil, true, fmt.Errorf("runtimeapi: %s: invocation %s: %w", f.cfg.Name, inv.id, ctx.Err())
	}
}

// acquire returns an idle live process, or starts one.
func (f *Function) acquire() (*process, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, ErrClosed
	}
	for len(f.idle) > 0 {
		p := f.idle[len(f.idle)-1]
		f.idle = f.idle[:len(f.idle)-1]
		if !p.hasExited() {
			return p, nil
		}
		delete(f.all, p)
	}
	p, err := startProcess(f.cfg, f.arn)
	if err != nil {
		return nil, err
	}
	f.all[p] = true
	f.starts++
	return p, nil
}

// release makes p available for the next invocation if it still runs.
func (f *Function) release(p *process) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case p.hasExited():
		delete(f.all, p)
	case f.closed:
	default:
		f.idle = append(f.idle, p)
	}
}

// exitError describes a process that exited during an invocation.
func (f *Function) exitError(p *process) error {
	why := "exited"
	if p.waitErr != nil {
		why = p.waitErr.Error()
	}
	if ie := p.initError(); ie != nil {
		why += ", after an init error: " + ie.Error()
	}
	return fmt.Errorf("runtimeapi: %s: the process %s: %w", f.cfg.Name, why, local.ErrRuntimeExit)
}

// Close stops the processes and refuses later invocations; invocations in
// flight fail as runtime exits.
func (f *Function) Close() error {
	f.mu.Lock()
	f.closed = true
	procs := make([]*process, 0, len(f.all))
	for p := range f.all {
		procs = append(procs, p)
	}
	f.all, f.idle = map[*process]bool{}, nil
	f.mu.Unlock()
	for _, p := range procs {
		p.kill()
	}
	return nil
}

// invocation is one event handed to the runtime.
type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan outcome // buffered: the first answer wins
}

type outcome struct {
	body []byte
	err  error
}

// answer delivers the invocation's outcome; it reports false if one was
// already delivered.
func (inv *invocation) answer(o outcome) bool {
	select {
	case inv.done <- o:
		return true
	default:
		return false
	}
}

// FunctionError is an invocation the function's handler failed, as the
// runtime reported it on /invocation/{id}/error.
type FunctionError struct {
	Type       string
	Message    string
	StackTrace []string
}

// ErrorObject returns the error as the runtime reported it; the local
// service records it as the invocation's error (local.ReportedError).
func (e *FunctionError) ErrorObject() checkpoint.ErrorObject {
	return checkpoint.ErrorObject{ErrorType: e.Type, ErrorMessage: e.Message, StackTrace: e.StackTrace}
}

func (e *FunctionError) Error() string {
	if e.Type == "" {
		return e.Message
	}
	return e.Type + ": " + e.Message
}

// newRequestId returns a random request id in UUID form.
func newRequestId() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

var (
	_ local.Function      = (*Function)(nil)
	_ local.ReportedError = (*FunctionError)(nil)
)
