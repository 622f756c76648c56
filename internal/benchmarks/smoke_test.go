package benchmarks

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

// raceEnabled is set by race_test.go when the race detector is on.
var raceEnabled bool

// suite lists every benchmark of the package; TestSmoke checks that each
// one ran.
var suite = []string{
	"BenchmarkStepOverhead", "BenchmarkReplay3000", "BenchmarkMap1000",
	"BenchmarkMiddlewareDepth", "BenchmarkLoggingReplay", "BenchmarkPayload",
	"BenchmarkSuspendResume", "BenchmarkW2", "BenchmarkW3", "BenchmarkW4",
	"BenchmarkW5",
}

// TestSmoke runs every benchmark once (-benchtime=1x) in a child process of
// the test binary, so that the suite keeps building and its correctness
// checks (results, checkpoint call counts) keep passing. It asserts no
// timing.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark suite once; skipped in short mode")
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$", "-test.bench=.", "-test.benchtime=1x", "-test.benchmem")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("benchmarks failed: %v\n%s", err, out)
	}
	for _, name := range suite {
		if !strings.Contains(string(out), "\n"+name) {
			t.Errorf("%s did not run:\n%s", name, out)
		}
	}
}

// TestAllocBudgets checks the allocation budgets of issue 7, which do not
// depend on the machine: at most 40 allocations per live step in eager
// mode, none added by a composed middleware chain, none for a log call
// suppressed during replay.
func TestAllocBudgets(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	perStep := func(opts ...durable.HandlerOption) float64 {
		n := stepsPerInvocation
		client := &memClient{}
		h := stepLoop(&n, append([]durable.HandlerOption{quiet}, opts...)...)
		ctx := lambdaContext(t, client)
		ev := event(t)
		return testing.AllocsPerRun(20, func() {
			invoke(t, ctx, h, ev, checkpoint.InvocationSucceeded)
		}) / float64(n)
	}
	base := perStep()
	if base > 40 {
		t.Errorf("%.1f allocations per step, budget 40", base)
	}
	mws := make([]middleware.Middleware, 12)
	for i := range mws {
		mws[i] = passThrough
	}
	if deep := perStep(durable.WithMiddleware(mws...)); deep > base+0.5 {
		t.Errorf("12 middlewares: %.1f allocations per step, %.1f without", deep, base)
	}
	t.Logf("%.1f allocations per step", base)

	var logAllocs float64
	h := durable.NewHandler(func(ctx durable.Context, _ struct{}) (int, error) {
		l := ctx.Logger()
		logAllocs = testing.AllocsPerRun(100, func() { l.Info("charged card", "order", 42, "ok", true) })
		return durable.Step(ctx, "s", func(durable.StepContext) (int, error) { return 1, nil })
	}, quiet)
	ctx := lambdaContext(t, &memClient{})
	invoke(t, ctx, h, event(t, succeededStep(1, "s", "1")), checkpoint.InvocationSucceeded)
	if logAllocs != 0 {
		t.Errorf("a suppressed log call allocates %.1f times", logAllocs)
	}
}
