package durable_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/serdes"
)

// upper is a serdes that transforms what it stores, so a live value and its
// replayed value differ unless the SDK returns the stored form live too.
var upper = serdes.Typed(
	func(_ serdes.Context, s string) (string, error) { return `"` + strings.ToUpper(s) + `"`, nil },
	func(_ serdes.Context, data string) (string, error) { return strings.Trim(data, `"`), nil },
)

// With a custom serdes, a step and a child context return live exactly what
// a replay returns: the stored payload decoded.
func TestLiveResultEqualsReplayedResultWithCustomSerdes(t *testing.T) {
	var live []string // what the first invocation saw, before it suspends
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		s, err := durable.Step(ctx, "s", func(durable.StepContext) (string, error) { return "step", nil }, durable.WithSerdes(upper))
		if err != nil {
			return nil, err
		}
		c, err := durable.RunInChildContext(ctx, "c", func(durable.Context) (string, error) { return "child", nil }, durable.WithSerdes(upper))
		if err != nil {
			return nil, err
		}
		if live == nil {
			live = []string{s, c}
		}
		// The wait makes the second invocation replay both operations.
		if err := durable.Wait(ctx, "w", durable.Seconds(1)); err != nil {
			return nil, err
		}
		return []string{s, c}, nil
	}
	r := durabletest.New(durable.NewHandler(wf, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if err := res.Decode(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Join(out, ",") != "STEP,CHILD" {
		t.Fatalf("replayed result %v, want [STEP CHILD]", out)
	}
	if strings.Join(live, ",") != "STEP,CHILD" {
		t.Fatalf("live result %v differs from the replayed one", live)
	}
}
