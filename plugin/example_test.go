package plugin_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/plugin"
)

// tracer is a plugin with state: it captures the execution ARN at
// invocation start, as a plugin stamping its records would. Hooks of one
// handler never run concurrently, so plain variables are enough.
func tracer() plugin.Plugin {
	var arn string
	return plugin.Plugin{
		Name: "tracer",
		InvocationStart: func(_ context.Context, info plugin.InvocationInfo) error {
			arn = info.ExecutionARN
			fmt.Println("invocation start, first:", info.IsFirstInvocation)
			return nil
		},
		OperationStart: func(_ context.Context, op plugin.OperationInfo) error {
			if op.Type == checkpoint.TypeStep {
				fmt.Printf("  start %s %q replay=%t\n", op.ID, op.Name, op.IsReplay)
			}
			return nil
		},
		OperationEnd: func(_ context.Context, op plugin.OperationInfo) error {
			if op.Type == checkpoint.TypeStep {
				fmt.Printf("  end   %s %q %s result=%s\n", op.ID, op.Name, op.Status, op.Result)
			}
			return nil
		},
		InvocationEnd: func(_ context.Context, info plugin.InvocationInfo) error {
			fmt.Println("invocation end:", info.Status, "same execution:", info.ExecutionARN == arn)
			return nil
		},
	}
}

// A handler installs plugins with durable.WithPlugins. Here a step, a wait
// that suspends the first invocation, and another step: the second
// invocation replays the first step (it had ended: no hooks) and runs the
// second one.
func Example() {
	wf := func(ctx durable.Context, name string) (string, error) {
		greeting, err := durable.Step(ctx, "greet", func(durable.StepContext) (string, error) {
			return "Hello, " + name, nil
		})
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", 2*time.Second); err != nil {
			return "", err
		}
		return durable.Step(ctx, "shout", func(durable.StepContext) (string, error) {
			return greeting + "!", nil
		})
	}
	h := durable.NewHandler(wf,
		durable.WithPlugins(tracer()),
		durable.WithLogHandler(slog.DiscardHandler))

	r := durabletest.New(h)
	defer r.Close()
	res, err := r.Run(context.Background(), "Ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Result)
	// Output:
	// invocation start, first: true
	//   start 1 "greet" replay=false
	//   end   1 "greet" SUCCEEDED result="Hello, Ada"
	// invocation end: PENDING same execution: true
	// invocation start, first: false
	//   start 3 "shout" replay=false
	//   end   3 "shout" SUCCEEDED result="Hello, Ada!"
	// invocation end: SUCCEEDED same execution: true
	// SUCCEEDED "Hello, Ada!"
}

// Install returns the four middlewares behind durable.WithPlugins, for
// placing them by hand (here with a logger of its own for hook failures).
func ExampleInstall() {
	failing := plugin.Plugin{
		Name: "failing",
		OperationStart: func(context.Context, plugin.OperationInfo) error {
			panic("bug in a plugin")
		},
	}
	m := plugin.Install(plugin.Config{
		Plugins: []plugin.Plugin{failing},
		Logger:  slog.New(slog.NewTextHandler(stdout{}, &slog.HandlerOptions{ReplaceAttr: dropTime})),
	})
	h := durable.NewHandler(func(ctx durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "answer", func(durable.StepContext) (int, error) { return 42, nil })
	},
		durable.WithInvocationMiddleware(m.Invocation),
		durable.WithMiddleware(m.Operation),
		durable.WithAttemptMiddleware(m.Attempt),
		durable.WithCheckpointMiddleware(m.Checkpoint),
		durable.WithLogHandler(slog.DiscardHandler))

	r := durabletest.New(h)
	defer r.Close()
	res, _ := r.Run(context.Background(), nil)
	fmt.Println(res.Status, res.Result)
	// Output:
	// level=WARN msg="durable: plugin hook failed; ignored" plugin=failing hook=OperationStart error="panic: bug in a plugin"
	// SUCCEEDED 42
}

type stdout struct{}

func (stdout) Write(p []byte) (int, error) { fmt.Print(string(p)); return len(p), nil }

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
