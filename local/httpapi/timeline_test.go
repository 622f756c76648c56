package httpapi_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/timeline"
)

// TestTimelineOverHTTP runs a real SDK workflow over HTTP on a virtual clock,
// reads its history with the real client and renders it: the timestamps
// survive the trip (epoch seconds on the wire).
func TestTimelineOverHTTP(t *testing.T) {
	e := newEnv(t, []local.Option{
		local.WithClock(local.NewVirtualClock(time.Time{})),
		local.WithTimeSkipping(local.SkipWhenIdle),
	})
	wf := func(ctx durable.Context, _ any) (int, error) {
		n, err := durable.Step(ctx, "count", func(durable.StepContext) (int, error) { return 41, nil })
		if err != nil {
			return 0, err
		}
		if err := durable.Wait(ctx, "nap", 90*time.Minute); err != nil {
			return 0, err
		}
		return n + 1, nil
	}
	if err := e.svc.RegisterFunction("wf", durable.NewHandler(wf, durable.WithCheckpointClient(checkpoint.NewLambdaClient(e.client))), local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	out, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("wf"), DurableExecutionName: aws.String("tl")})
	if err != nil || string(out.Payload) != "42" {
		t.Fatalf("invoke: %v %s", err, out.Payload)
	}
	tl, err := timeline.ForLambdaExecution(ctx, e.client, aws.ToString(out.DurableExecutionArn))
	if err != nil {
		t.Fatal(err)
	}
	inProcess, err := timeline.ForExecution(ctx, e.svc, aws.ToString(out.DurableExecutionArn))
	if err != nil {
		t.Fatal(err)
	}
	if tl.Status != "SUCCEEDED" || tl.End.Sub(tl.Start) != 90*time.Minute || len(tl.Roots) != 2 {
		t.Fatalf("timeline %+v", tl)
	}
	var buf, buf2 bytes.Buffer
	if err := tl.WriteText(&buf, timeline.TextOptions{Width: 30}); err != nil {
		t.Fatal(err)
	}
	if err := inProcess.WriteText(&buf2, timeline.TextOptions{Width: 30}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != buf2.String() {
		t.Errorf("over HTTP:\n%s\nin process:\n%s", buf.String(), buf2.String())
	}
	for _, want := range []string{"took 1h30m0s", "├── count", "└── nap", "1h30m0s"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("timeline lacks %q:\n%s", want, buf.String())
		}
	}
	t.Logf("\n%s", buf.String())
}
