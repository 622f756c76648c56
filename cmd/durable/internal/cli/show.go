package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/local/timeline"
)

type showOpts struct {
	*clientFlags
	format string
	width  int
}

func showFlags(a *App) (*flag.FlagSet, *showOpts) {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	o := &showOpts{clientFlags: a.addClientFlags(fs)}
	fs.StringVar(&o.format, "format", "text", "output format: text (summary and timeline), mermaid (a Mermaid gantt block) or events (history as JSON)")
	fs.IntVar(&o.width, "width", 40, "width of the text Gantt bars in characters (0: no bars)")
	return fs, o
}

// show prints one execution: its summary and the timeline of its history.
func (a *App) show(ctx context.Context, args []string) error {
	fs, o := showFlags(a)
	arn, err := oneArg(fs, args, "execution ARN")
	if err != nil {
		return err
	}
	switch o.format {
	case "text", "mermaid", "events":
	default:
		return &usageError{msg: fmt.Sprintf("-format %q: want text, mermaid or events", o.format)}
	}
	if o.width < 0 {
		return &usageError{msg: fmt.Sprintf("-width %d: want 0 or more", o.width)}
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	exec, err := client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String(arn)})
	if err != nil {
		return o.apiError("show", err)
	}
	events, err := timeline.LambdaHistory(ctx, client, arn)
	if err != nil {
		return o.apiError("show", err)
	}
	if o.format == "events" {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(events)
	}
	tl, err := timeline.FromLambdaHistory(events)
	if err != nil {
		return err
	}
	tl.Status = string(exec.Status)
	if o.format == "mermaid" {
		return tl.WriteMermaid(a.Stdout, timeline.MermaidOptions{})
	}
	writeSummary(a.Stdout, exec)
	if exec.Status == types.ExecutionStatusRunning {
		for _, cb := range timeline.OpenCallbacks(events) {
			fmt.Fprintf(a.Stdout, "Waiting:   the %s callback (operation %s)\n           answer: durable callback succeed|fail %s [payload]\n",
				cb.Label(), cb.OperationId, cb.CallbackId)
		}
	}
	fmt.Fprintln(a.Stdout)
	width := o.width
	if width == 0 {
		width = -1 // no bars
	}
	return tl.WriteText(a.Stdout, timeline.TextOptions{Width: width})
}

func writeSummary(w io.Writer, e *lambda.GetDurableExecutionOutput) {
	row := func(k, v string) { fmt.Fprintf(w, "%-10s %s\n", k+":", v) }
	row("Execution", aws.ToString(e.DurableExecutionArn))
	row("Function", functionName(aws.ToString(e.FunctionArn)))
	row("Status", string(e.Status))
	start, end := aws.ToTime(e.StartTimestamp), aws.ToTime(e.EndTimestamp)
	row("Started", start.UTC().Format(time.RFC3339))
	if !end.IsZero() {
		row("Ended", fmt.Sprintf("%s (after %s)", end.UTC().Format(time.RFC3339), end.Sub(start).Round(time.Millisecond)))
	}
	if e.InputPayload != nil && *e.InputPayload != "" {
		row("Input", abbreviate(*e.InputPayload, 200))
	}
	if e.Result != nil {
		row("Result", abbreviate(*e.Result, 200))
	}
	if e.Error != nil {
		row("Error", describeError(e.Error))
	}
}

func describeError(e *types.ErrorObject) string {
	var parts []string
	if t := aws.ToString(e.ErrorType); t != "" {
		parts = append(parts, t)
	}
	if m := aws.ToString(e.ErrorMessage); m != "" {
		parts = append(parts, m)
	}
	if len(parts) == 0 {
		return "(no details)"
	}
	return abbreviate(strings.Join(parts, ": "), 200)
}

func abbreviate(s string, n int) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
