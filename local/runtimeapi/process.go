package runtimeapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// process is one run of the executable with its own Runtime API server, so
// that a request from a process that is gone can never take an event meant
// for its successor.
type process struct {
	cmd  *exec.Cmd
	ln   net.Listener
	srv  *http.Server
	next chan *invocation // events, handed to GET /invocation/next
	// served counts the invocations the process took; only the one
	// invocation holding the process touches it.
	served int

	exited  chan struct{} // closed once the process has exited
	waitErr error         // why it exited; read after exited is closed

	mu       sync.Mutex
	inflight map[string]*invocation
	initErr  *FunctionError
}

// startProcess serves a Runtime API on a loopback port and starts the
// executable against it.
func startProcess(cfg Config, arn string) (*process, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtimeapi: %s: %w", cfg.Name, err)
	}
	p := &process{
		ln:       ln,
		next:     make(chan *invocation),
		exited:   make(chan struct{}),
		inflight: map[string]*invocation{},
	}
	p.srv = &http.Server{Handler: p.routes(arn), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()

	cmd := exec.Command(cfg.Path, cfg.Args...)
	cmd.Dir = cfg.Dir
	cmd.Env = environment(cfg, ln.Addr().String())
	cmd.Stdout, cmd.Stderr = cfg.Stdout, cfg.Stderr
	if err := cmd.Start(); err != nil {
		_ = p.srv.Close()
		return nil, fmt.Errorf("runtimeapi: %s: starting %s: %w", cfg.Name, cfg.Path, err)
	}
	p.cmd = cmd
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
		_ = p.srv.Close()
	}()
	return p, nil
}

// environment is what Lambda sets for a function (plus cfg.Env, which wins).
func environment(cfg Config, runtimeAPI string) []string {
	env := []string{
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME=" + cfg.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(cfg.MemoryMB),
		"AWS_LAMBDA_LOG_FORMAT=JSON",
		"AWS_LAMBDA_LOG_LEVEL=INFO",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME=local",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023",
		"AWS_REGION=" + cfg.Region,
		"AWS_DEFAULT_REGION=" + cfg.Region,
		"LAMBDA_TASK_ROOT=" + cfg.Dir,
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"PATH=/usr/local/bin:/usr/bin:/bin",
	}
	if cfg.LambdaEndpoint != "" {
		env = append(env,
			"AWS_ENDPOINT_URL_LAMBDA="+cfg.LambdaEndpoint,
			"AWS_ACCESS_KEY_ID=local",
			"AWS_SECRET_ACCESS_KEY=local",
		)
	}
	return append(env, cfg.Env...) // exec.Cmd keeps the last value of a key
}

func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// kill ends the process and waits until it has exited.
func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

func (p *process) track(inv *invocation) {
	p.mu.Lock()
	p.inflight[inv.id] = inv
	p.mu.Unlock()
}

func (p *process) untrack(inv *invocation) {
	p.mu.Lock()
	delete(p.inflight, inv.id)
	p.mu.Unlock()
}

func (p *process) lookup(id string) *invocation {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inflight[id]
}

func (p *process) setInitError(e *FunctionError) {
	p.mu.Lock()
	p.initErr = e
	p.mu.Unlock()
}

func (p *process) initError() *FunctionError {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.initErr
}

// waitNext blocks until an event is due, the process exits or the request
// ends.
func (p *process) waitNext(ctx context.Context) (*invocation, bool) {
	select {
	case inv := <-p.next:
		return inv, true
	case <-p.exited:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}
