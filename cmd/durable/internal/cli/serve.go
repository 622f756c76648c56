package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/cmd/durable/boltstore"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
	"github.com/lambda-durable/durable/local/runtimeapi"
)

type serveOpts struct {
	addr       string
	allowHosts string
	db         string
	fsync      bool
	skipTime   bool
	anyIface   bool
	verbose    bool
	shutdownT  time.Duration
	functions  functionFlag
	examples   bool
}

func serveFlags(*App) (*flag.FlagSet, *serveOpts) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o := &serveOpts{}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9014", "listen address (loopback only unless -public)")
	fs.StringVar(&o.db, "db", "", "bbolt file that keeps executions across restarts (default: memory only)")
	fs.BoolVar(&o.fsync, "fsync", false, "with -db: fsync every write, so that executions also survive a crash of the machine (a crash or kill of the server loses nothing without it)")
	fs.BoolVar(&o.skipTime, "skip-time", false, "run on a virtual clock that skips ahead when only timers are pending (not while a callback is open)")
	fs.BoolVar(&o.anyIface, "public", false, "allow a listen address outside the loopback interface")
	fs.StringVar(&o.allowHosts, "allow-host", "", "comma-separated host names that requests may name besides localhost, 127.0.0.0/8 and [::1] (the -addr host is allowed)")
	fs.BoolVar(&o.verbose, "v", false, "log the workflows' own logs")
	fs.Var(&o.functions, "fn", "run the function executable PATH as NAME behind a Lambda Runtime API (NAME=PATH, repeatable)")
	fs.BoolVar(&o.examples, "example", true, "register the example workflows")
	fs.DurationVar(&o.shutdownT, "shutdown-timeout", 5*time.Second, "how long to wait for requests in flight when stopping")
	return fs, o
}

// serve runs the local durable execution service until ctx is done.
func (a *App) serve(ctx context.Context, args []string) error {
	fs, o := serveFlags(a)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0, ""); err != nil {
		return err
	}
	if o.shutdownT <= 0 {
		return &usageError{msg: fmt.Sprintf("-shutdown-timeout %s: want a positive duration", o.shutdownT)}
	}
	logs := io.Discard
	if o.verbose {
		logs = a.Stderr
	}
	srv, err := startServer(serverConfig{
		addr:      o.addr,
		db:        o.db,
		fsync:     o.fsync,
		skipTime:  o.skipTime,
		public:    o.anyIface,
		hosts:     splitList(o.allowHosts),
		logger:    slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		workflows: slog.New(slog.NewTextHandler(logs, nil)),
		output:    logs,
		functions: o.functions,
		noExample: !o.examples,
	})
	if err != nil {
		return err
	}
	store := "memory (executions are lost when the server stops; use -db FILE to keep them)"
	if o.db != "" {
		store = o.db
	}
	clock := "real"
	if o.skipTime {
		clock = "virtual, skipping ahead when idle"
	}
	fmt.Fprintf(a.Stdout, "durable: serving on %s\n  store: %s\n  clock: %s\n  functions:", srv.url(), store, clock)
	names := functionNames(o.examples, o.functions)
	for _, name := range names {
		fmt.Fprintf(a.Stdout, " %s", name)
	}
	switch {
	case o.examples:
		fmt.Fprintf(a.Stdout, "\n  try:   durable start %s -endpoint %s -input '%s'\n", examples()[0].name, srv.url(), examples()[0].input)
	case len(names) > 0:
		fmt.Fprintf(a.Stdout, "\n  try:   durable start %s -endpoint %s -input '{}'\n", names[0], srv.url())
	default:
		fmt.Fprintf(a.Stdout, " none (add one with -fn NAME=PATH)\n")
	}
	fmt.Fprintf(a.Stdout, "  console: %s/ (open it in a browser)\n", srv.url())
	if a.ready != nil {
		a.ready(srv)
	}
	<-ctx.Done()
	fmt.Fprintln(a.Stdout, "durable: stopping")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.shutdownT)
	defer cancel()
	return srv.close(sctx)
}

// serverConfig describes a local service behind its HTTP front.
type serverConfig struct {
	addr      string
	db        string
	fsync     bool // fsync each bbolt write (boltstore.WithoutSync otherwise)
	skipTime  bool
	public    bool
	hosts     []string         // Host names served besides the loopback ones
	timeouts  httpapi.Timeouts // zero fields: httpapi's defaults
	clock     local.Clock      // overrides skipTime when set (tests)
	logger    *slog.Logger     // the service's and the HTTP front's diagnostics
	workflows *slog.Logger     // the workflows' logs
	output    io.Writer        // the output of the function executables
	functions []functionSpec
	noExample bool
}

// server is a running local service with its HTTP front and store.
type server struct {
	svc    *local.Service
	http   *httpapi.Server
	store  *boltstore.Store
	client *lambda.Client
	// executables are the user's functions (-fn), each run in its own process.
	executables []*runtimeapi.Function
}

func (s *server) url() string { return s.http.URL() }

// startServer opens the store, starts the service, serves it over HTTP and
// registers the example workflows, which checkpoint through a Lambda client
// pointed at the server itself.
func startServer(cfg serverConfig) (_ *server, err error) {
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.workflows == nil {
		cfg.workflows = slog.New(slog.DiscardHandler)
	}
	s := &server{}
	defer func() {
		if err != nil {
			_ = s.close(context.Background())
		}
	}()
	opts := []local.Option{local.WithLogger(cfg.logger)}
	if cfg.db != "" {
		var storeOpts []boltstore.Option
		if !cfg.fsync {
			storeOpts = append(storeOpts, boltstore.WithoutSync())
		}
		if s.store, err = boltstore.Open(cfg.db, storeOpts...); err != nil {
			return nil, err
		}
		opts = append(opts, local.WithStore(s.store))
	}
	switch {
	case cfg.clock != nil:
		opts = append(opts, local.WithClock(cfg.clock))
		if _, ok := cfg.clock.(*local.VirtualClock); ok && cfg.skipTime {
			opts = append(opts, local.WithTimeSkipping(local.SkipUnlessCallbacksOpen))
		}
	case cfg.skipTime:
		opts = append(opts, local.WithClock(local.NewVirtualClock(time.Now())),
			local.WithTimeSkipping(local.SkipUnlessCallbacksOpen))
	}
	s.svc = local.New(opts...)
	// Listen puts the API behind httpapi.Guard (loopback or -allow-host
	// Host names only, no cross-site writes), with read timeouts and a
	// header limit; whatever else is served on this address must be
	// mounted on the handler given to Listen so that it is guarded too.
	lopts := []httpapi.ListenOption{httpapi.AllowHosts(cfg.hosts...), httpapi.WithTimeouts(cfg.timeouts)}
	if cfg.public {
		lopts = append(lopts, httpapi.AllowNonLoopback())
	}
	if s.http, err = httpapi.Listen(cfg.addr, frontHandler(s.svc, cfg.logger), lopts...); err != nil {
		return nil, err
	}
	s.client = httpapi.LambdaClient(s.url())
	if cfg.output == nil {
		cfg.output = io.Discard
	}
	if err := s.registerExecutables(cfg.functions, cfg.output); err != nil {
		return nil, err
	}
	for _, ex := range examples() {
		if cfg.noExample {
			break
		}
		h := ex.handler(durable.WithCheckpointClient(checkpoint.NewLambdaClient(s.client)), durable.WithLogHandler(cfg.workflows.Handler()))
		if err := s.svc.RegisterFunction(ex.name, h, local.WithoutContextClient()); err != nil {
			return nil, fmt.Errorf("registering %s: %w", ex.name, err)
		}
	}
	return s, nil
}

// close stops the HTTP front (waiting for requests in flight until ctx
// ends), the service and the store.
func (s *server) close(ctx context.Context) error {
	var errs []error
	if s.http != nil {
		if err := s.http.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			errs = append(errs, err)
		}
	}
	for _, fn := range s.executables {
		errs = append(errs, fn.Close())
	}
	if s.svc != nil {
		errs = append(errs, s.svc.Close())
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	return errors.Join(errs...)
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
