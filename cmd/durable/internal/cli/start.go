package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/local/timeline"
)

type startOpts struct {
	*clientFlags
	name  string
	input string
	wait  bool
}

func startFlags(a *App) (*flag.FlagSet, *startOpts) {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	o := &startOpts{clientFlags: a.addClientFlags(fs)}
	fs.StringVar(&o.name, "name", "", "execution name (default: generated)")
	fs.StringVar(&o.input, "input", "", "execution input as JSON")
	fs.BoolVar(&o.wait, "wait", false, "wait for the execution to end and print its result, showing each callback it waits on")
	return fs, o
}

// start starts an execution with Lambda Invoke and prints its ARN (and,
// with -wait, its result).
func (a *App) start(ctx context.Context, args []string) error {
	fs, o := startFlags(a)
	fn, err := oneArg(fs, args, "function name")
	if err != nil {
		return err
	}
	if o.input != "" && !json.Valid([]byte(o.input)) {
		return &usageError{msg: fmt.Sprintf("-input %q is not valid JSON (quote strings: '\"text\"')", o.input)}
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	// Always start asynchronously: a synchronous Invoke would answer only
	// when the execution ends, and -wait must show the callbacks it waits on
	// meanwhile.
	in := &lambda.InvokeInput{
		FunctionName:   aws.String(fn),
		InvocationType: types.InvocationTypeEvent,
	}
	if o.name != "" {
		in.DurableExecutionName = aws.String(o.name)
	}
	if o.input != "" {
		in.Payload = []byte(o.input)
	}
	out, err := client.Invoke(ctx, in)
	if err != nil {
		return o.apiError("start "+fn, err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	fmt.Fprintln(a.Stdout, arn)
	if !o.wait {
		return nil
	}
	return a.await(ctx, client, o.clientFlags, arn)
}

// pollInterval is how often start -wait reads the execution's status.
const pollInterval = 100 * time.Millisecond

// await polls an execution until it ends, printing each callback it starts
// waiting on (once, with the command that answers it), then its result.
func (a *App) await(ctx context.Context, client *lambda.Client, cf *clientFlags, arn string) error {
	announced := map[string]bool{}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		exec, err := client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String(arn)})
		if err != nil {
			return cf.apiError("start -wait", err)
		}
		switch exec.Status {
		case types.ExecutionStatusSucceeded:
			fmt.Fprintln(a.Stdout, aws.ToString(exec.Result))
			return nil
		case types.ExecutionStatusRunning:
		default:
			return fmt.Errorf("execution %s: %s", strings.ToLower(string(exec.Status)), describeError(exec.Error))
		}
		events, err := timeline.LambdaHistory(ctx, client, arn)
		if err != nil {
			return cf.apiError("start -wait", err)
		}
		for _, cb := range timeline.OpenCallbacks(events) {
			if !announced[cb.CallbackId] {
				announced[cb.CallbackId] = true
				fmt.Fprintf(a.Stdout, "waiting on the %s callback; answer: durable callback succeed|fail %s [payload]\n", cb.Label(), cb.CallbackId)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
