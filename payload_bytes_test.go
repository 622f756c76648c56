package durable_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// Payloads are stored with <, >, & and U+2028 written as themselves, as
// AWS's JavaScript (JSON.stringify) and Python SDKs store them, so a
// cross-language invoke or a comparison of payloads sees the same bytes.
func TestPayloadsStoreHTMLAndLineSeparatorsLiterally(t *testing.T) {
	const text = "a<b>&c\u2028d"
	const stored = "{\"text\":\"a<b>&c\u2028d\"}"
	type note struct {
		Text string `json:"text"`
	}
	wf := func(ctx durable.Context, _ any) (note, error) {
		n, err := durable.Step(ctx, "step", func(durable.StepContext) (note, error) { return note{text}, nil })
		if err != nil {
			return note{}, err
		}
		res, err := durable.Map(ctx, "map", []string{text}, func(_ durable.Context, _ int, s string) (note, error) { return note{s}, nil })
		if err != nil {
			return note{}, err
		}
		return n, res.Err()
	}
	r := durabletest.New(durable.NewHandler(wf, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != stored {
		t.Errorf("execution result %q, want %q", res.Result, stored)
	}
	step, ok := r.Operation("step")
	if !ok || step.StepDetails == nil {
		t.Fatalf("no step result recorded: %+v", step)
	}
	if got := step.StepDetails.Result; got != stored {
		t.Errorf("step result stored as %q, want %q", got, stored)
	}
	m, ok := r.Operation("map")
	if !ok || m.ContextDetails == nil {
		t.Fatalf("no map result recorded: %+v", m)
	}
	if want := `"result":` + stored; !strings.Contains(m.ContextDetails.Result, want) {
		t.Errorf("map result stored as %q, want it to hold %q", m.ContextDetails.Result, want)
	}
}
