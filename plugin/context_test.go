package plugin_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/plugin"
)

type scopeKey struct{}

// scoping is a plugin that names the code that runs: "invocation" for the
// workflow function, "<name>" for each attempt or child context function,
// both as a context value and as the log attribute "scope".
func scoping() plugin.Plugin {
	scope := func(ctx context.Context, name string) context.Context {
		ctx = context.WithValue(ctx, scopeKey{}, name)
		return logging.ContextWithAttrs(ctx, slog.String("scope", name))
	}
	return plugin.Plugin{
		Name: "scoping",
		InvocationContext: func(ctx context.Context, _ plugin.InvocationInfo) context.Context {
			return scope(ctx, "invocation")
		},
		AttemptContext: func(ctx context.Context, a plugin.AttemptInfo) context.Context {
			return scope(ctx, a.Name)
		},
	}
}

// The contexts the hooks derive reach the workflow function, step bodies and
// child context functions, and the SDK's loggers carry their attributes.
func TestContextHooksReachUserCode(t *testing.T) {
	var seen []string
	note := func(ctx context.Context) {
		s, _ := ctx.Value(scopeKey{}).(string)
		seen = append(seen, s)
	}
	wf := func(ctx durable.Context, _ any) (string, error) {
		note(ctx)
		ctx.Logger().Info("in workflow")
		_, err := durable.Step(ctx, "outer-step", func(sc durable.StepContext) (int, error) {
			note(sc)
			sc.Logger().Info("in step")
			return 1, nil
		})
		if err != nil {
			return "", err
		}
		return durable.RunInChildContext(ctx, "child", func(cc durable.Context) (string, error) {
			note(cc)
			cc.Logger().Info("in child")
			return durable.Step(cc, "inner-step", func(sc durable.StepContext) (string, error) {
				note(sc)
				return "done", nil
			})
		})
	}
	var l logs
	h := durable.NewHandler(wf, durable.WithPlugins(scoping()), durable.WithLogHandler(slog.NewJSONHandler(&l, nil)))
	res := runHandler(t, h)
	if res.Status != local.ExecutionSucceeded {
		t.Fatalf("status %s", res.Status)
	}
	want := []string{"invocation", "outer-step", "child", "inner-step"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("scopes seen %q, want %q", seen, want)
	}
	scopes := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		msg, _ := rec["msg"].(string)
		scopes[msg], _ = rec["scope"].(string)
	}
	for msg, scope := range map[string]string{"in workflow": "invocation", "in step": "outer-step", "in child": "child"} {
		if scopes[msg] != scope {
			t.Errorf("record %q has scope %q, want %q", msg, scopes[msg], scope)
		}
	}
}

// A context hook that panics or returns nil leaves the context unchanged
// and the execution's outcome intact.
func TestContextHookFailureIsIsolated(t *testing.T) {
	bad := plugin.Plugin{
		Name:              "bad",
		InvocationContext: func(context.Context, plugin.InvocationInfo) context.Context { panic("boom") },
		AttemptContext:    func(context.Context, plugin.AttemptInfo) context.Context { return nil },
	}
	var inStep any
	wf := func(ctx durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "s", func(sc durable.StepContext) (string, error) {
			inStep = sc.Value(scopeKey{})
			return "ok", nil
		})
	}
	var l logs
	h := durable.NewHandler(wf, durable.WithPlugins(bad), durable.WithLogHandler(slog.NewJSONHandler(&l, nil)))
	res := runHandler(t, h)
	if res.Status != local.ExecutionSucceeded || res.Result != `"ok"` {
		t.Fatalf("result %s %s", res.Status, res.Result)
	}
	if inStep != nil {
		t.Errorf("step saw %v, want no value", inStep)
	}
	if !strings.Contains(l.String(), `"hook":"InvocationContext"`) {
		t.Errorf("no warning for the panicking hook in %s", l.String())
	}
}

// runHandler runs h to its end on the in-process local service.
func runHandler(t *testing.T, h local.Function) *durabletest.Result {
	t.Helper()
	r := durabletest.New(h)
	t.Cleanup(func() { _ = r.Close() })
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
