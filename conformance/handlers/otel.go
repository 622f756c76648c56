package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/retry"
)

// The handlers of AWS's OpenTelemetry requirements (otel-invocation-N,
// otel-execution-N, otel-long-running-N): one workflow per scenario, as the
// contract's section 9 describes them, selected by the input's scenario. The
// operation names are asserted by the telemetry checks.

// OTelTarget is the name the chained-invoke scenarios deploy their target
// function under (OTEL_INVOKE_TARGET_FUNCTION_NAME in AWS's templates).
const OTelTarget = "otel-invoke-target"

// otelInput is the input of every OpenTelemetry scenario. delay_seconds
// arrives as a string after variable substitution, or as a number.
type otelInput struct {
	Scenario     string `json:"scenario"`
	DelaySeconds any    `json:"delay_seconds,omitempty"`
}

// delay reads delay_seconds: an integer from 1 to 86,400.
func (in otelInput) delay() (time.Duration, error) {
	var n int
	switch v := in.DelaySeconds.(type) {
	case float64:
		n = int(v)
		if float64(n) != v {
			return 0, fmt.Errorf("delay_seconds %v is not an integer", v)
		}
	case string:
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return 0, fmt.Errorf("delay_seconds %q is not an integer", v)
		}
	default:
		return 0, fmt.Errorf("delay_seconds %v is missing or not a number", in.DelaySeconds)
	}
	if n < 1 || n > 86400 {
		return 0, fmt.Errorf("delay_seconds %d is outside 1..86400", n)
	}
	return time.Duration(n) * time.Second, nil
}

// OTel is the Factory of an OpenTelemetry requirement whose input has the
// given scenario: the scenario's handler, and the target of the chained
// invoke scenarios, both built with tracing (the plugin under test).
func OTel(scenario string, tracing durable.HandlerOption) (harness.Factory, error) {
	wf, ok := otelScenarios[scenario]
	if !ok {
		return nil, fmt.Errorf("no OpenTelemetry scenario %q", scenario)
	}
	return func(env harness.Env) harness.Deployment {
		dep := harness.Deployment{Handler: newHandler(env, checked(scenario, wf), tracing)}
		switch scenario {
		case "chained-invoke":
			dep.Targets = map[string]harness.Function{OTelTarget: newHandler(env, echo, tracing)}
		case "long-chained-invoke":
			dep.Targets = map[string]harness.Function{OTelTarget: newHandler(env, longInvokeTarget, tracing)}
		}
		return dep
	}, nil
}

// checked fails an execution whose input names another scenario.
func checked(scenario string, wf func(durable.Context, otelInput) (any, error)) func(durable.Context, otelInput) (any, error) {
	return func(ctx durable.Context, in otelInput) (any, error) {
		if in.Scenario != scenario {
			return nil, fmt.Errorf("handler of scenario %q got scenario %q", scenario, in.Scenario)
		}
		return wf(ctx, in)
	}
}

var otelScenarios = map[string]func(durable.Context, otelInput) (any, error){
	"success":                    otelSuccess,
	"wait-resume":                otelWaitResume,
	"terminal-failure":           otelTerminalFailure,
	"child-context":              otelChildContext,
	"map-hierarchy":              otelMapHierarchy,
	"handled-failure":            otelHandledFailure,
	"wait-for-callback":          otelWaitForCallback("otel-callback"),
	"chained-invoke":             otelChainedInvoke("otel-invoke"),
	"parallel-failure":           otelParallelFailure,
	"map-failure":                otelMapFailure,
	"wait-for-condition-failure": otelConditionFailure,
	"wait-for-callback-failure":  otelWaitForCallback("otel-failed-callback"),
	"execution-failure":          otelExecutionFailure,
	"virtual-context":            otelVirtualContext,
	"long-wait":                  otelLongWait,
	"long-retry":                 otelLongRetry,
	"long-chained-invoke":        otelChainedInvoke("otel-long-invoke"),
}

func otelSuccess(ctx durable.Context, _ otelInput) (any, error) {
	return durable.Step(ctx, "otel-success", constantStep("success"))
}

func otelWaitResume(ctx durable.Context, _ otelInput) (any, error) {
	if err := durable.Wait(ctx, "otel-wait", time.Second); err != nil {
		return nil, err
	}
	return durable.Step(ctx, "otel-after-resume", constantStep("resumed"))
}

func otelTerminalFailure(ctx durable.Context, _ otelInput) (any, error) {
	return durable.Step(ctx, "otel-terminal-failure", failingStep("terminal failure"), durable.WithRetry(retry.None()))
}

func otelChildContext(ctx durable.Context, _ otelInput) (any, error) {
	return durable.RunInChildContext(ctx, "otel-child-context", func(cc durable.Context) (string, error) {
		return durable.Step(cc, "otel-child-step", constantStep("child"))
	})
}

func otelMapHierarchy(ctx durable.Context, _ otelInput) (any, error) {
	r, err := durable.Map(ctx, "otel-map", []int{1, 2}, func(ic durable.Context, i int, item int) (int, error) {
		return durable.Step(ic, "otel-map-step-"+strconv.Itoa(i), constantStep(item*2))
	}, durable.WithMaxConcurrency(1), durable.WithItemNamer(func(i int) string {
		return "otel-map-iteration-" + strconv.Itoa(i)
	}))
	if err != nil {
		return nil, err
	}
	return r.Results(), r.Err()
}

func otelHandledFailure(ctx durable.Context, _ otelInput) (any, error) {
	if _, err := durable.Step(ctx, "otel-handled-failure", failingStep("handled failure"), durable.WithRetry(retry.None())); err == nil {
		return nil, errors.New("the failing step succeeded")
	}
	return durable.Step(ctx, "otel-recovery-step", constantStep("recovered"))
}

// otelWaitForCallback waits for a callback whose submitter does nothing; the
// runner answers it (success or failure, per the requirement).
func otelWaitForCallback(name string) func(durable.Context, otelInput) (any, error) {
	return func(ctx durable.Context, _ otelInput) (any, error) {
		return durable.WaitForCallback[string](ctx, name, func(durable.StepContext, string) error { return nil })
	}
}

// otelChainedInvoke invokes the target with the input and returns its answer.
func otelChainedInvoke(name string) func(durable.Context, otelInput) (any, error) {
	return func(ctx durable.Context, in otelInput) (any, error) {
		return durable.Invoke[any](ctx, name, OTelTarget, in)
	}
}

func otelParallelFailure(ctx durable.Context, _ otelInput) (any, error) {
	r, err := durable.Parallel(ctx, "otel-failed-parallel", []durable.Branch[string]{{
		Name: "otel-failed-parallel-branch",
		Func: func(durable.Context) (string, error) { return "", errors.New("branch failure") },
	}}, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), r.Err()
}

func otelMapFailure(ctx durable.Context, _ otelInput) (any, error) {
	r, err := durable.Map(ctx, "otel-failed-map", []int{1}, func(durable.Context, int, int) (int, error) {
		return 0, errors.New("iteration failure")
	}, durable.WithItemNamer(func(i int) string { return "otel-failed-map-iteration-" + strconv.Itoa(i) }))
	if err != nil {
		return nil, err
	}
	return r.Results(), r.Err()
}

func otelConditionFailure(ctx durable.Context, _ otelInput) (any, error) {
	return durable.WaitForCondition(ctx, "otel-failed-condition", func(durable.StepContext, int) (int, error) {
		return 0, errors.New("condition check failure")
	}, durable.WithWaitStrategy(func(int, int) durable.WaitDecision {
		return durable.WaitDecision{Continue: true, Delay: time.Second}
	}))
}

func otelExecutionFailure(durable.Context, otelInput) (any, error) {
	return nil, errors.New("execution failure before any operation")
}

// otelVirtualContext runs a child context that is not checkpointed.
func otelVirtualContext(ctx durable.Context, _ otelInput) (any, error) {
	return durable.RunInChildContext(ctx, "otel-virtual-context", func(durable.Context) (string, error) {
		return "virtual-complete", nil
	}, durable.WithVirtualContext())
}

func otelLongWait(ctx durable.Context, in otelInput) (any, error) {
	d, err := in.delay()
	if err != nil {
		return nil, err
	}
	if err := durable.Wait(ctx, "otel-long-wait", d); err != nil {
		return nil, err
	}
	return durable.Step(ctx, "otel-after-long-wait", constantStep("resumed"))
}

// otelLongRetry's step fails on its first attempt and is retried after the
// delay.
func otelLongRetry(ctx durable.Context, in otelInput) (any, error) {
	d, err := in.delay()
	if err != nil {
		return nil, err
	}
	return durable.Step(ctx, "otel-long-retry", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("first attempt fails")
		}
		return "retried", nil
	}, durable.WithRetry(func(attempt int, _ error) retry.Decision {
		return retry.Decision{Retry: attempt < 2, Delay: d}
	}))
}

// longInvokeTarget waits for the delay, then returns its input.
func longInvokeTarget(ctx durable.Context, in otelInput) (otelInput, error) {
	d, err := in.delay()
	if err != nil {
		return in, err
	}
	return in, durable.Wait(ctx, "otel-long-invoke-target-wait", d)
}

func constantStep[T any](v T) func(durable.StepContext) (T, error) {
	return func(durable.StepContext) (T, error) { return v, nil }
}

func failingStep(msg string) func(durable.StepContext) (string, error) {
	return func(durable.StepContext) (string, error) { return "", errors.New(msg) }
}
