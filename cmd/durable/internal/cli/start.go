package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
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
	fs.BoolVar(&o.wait, "wait", false, "wait for the execution to end and print its result")
	return fs, o
}

// start starts an execution with Lambda Invoke and prints its ARN (and,
// with -wait, its result).
func (a *App) start(ctx context.Context, args []string) error {
	fs, o := startFlags(a)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, 1, "function name"); err != nil {
		return err
	}
	if o.input != "" && !json.Valid([]byte(o.input)) {
		return &usageError{msg: fmt.Sprintf("-input %q is not valid JSON (quote strings: '\"text\"')", o.input)}
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	in := &lambda.InvokeInput{
		FunctionName:   aws.String(pos[0]),
		InvocationType: types.InvocationTypeEvent,
	}
	if o.wait {
		in.InvocationType = types.InvocationTypeRequestResponse
	}
	if o.name != "" {
		in.DurableExecutionName = aws.String(o.name)
	}
	if o.input != "" {
		in.Payload = []byte(o.input)
	}
	out, err := client.Invoke(ctx, in)
	if err != nil {
		return o.apiError("start "+pos[0], err)
	}
	fmt.Fprintln(a.Stdout, aws.ToString(out.DurableExecutionArn))
	if !o.wait {
		return nil
	}
	if out.FunctionError != nil {
		return fmt.Errorf("execution did not succeed: %s", out.Payload)
	}
	fmt.Fprintf(a.Stdout, "%s\n", out.Payload)
	return nil
}
