package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

type stopOpts struct {
	*clientFlags
	errType string
	message string
}

func stopFlags(a *App) (*flag.FlagSet, *stopOpts) {
	fs := flag.NewFlagSet("stop", flag.ContinueOnError)
	o := &stopOpts{clientFlags: a.addClientFlags(fs)}
	fs.StringVar(&o.errType, "type", "", "error type recorded with the stop")
	fs.StringVar(&o.message, "message", "", "error message recorded with the stop")
	return fs, o
}

// stop stops a running execution (StopDurableExecution).
func (a *App) stop(ctx context.Context, args []string) error {
	fs, o := stopFlags(a)
	arn, err := oneArg(fs, args, "execution ARN")
	if err != nil {
		return err
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	in := &lambda.StopDurableExecutionInput{DurableExecutionArn: aws.String(arn)}
	if o.errType != "" || o.message != "" {
		in.Error = &types.ErrorObject{}
		if o.errType != "" {
			in.Error.ErrorType = aws.String(o.errType)
		}
		if o.message != "" {
			in.Error.ErrorMessage = aws.String(o.message)
		}
	}
	out, err := client.StopDurableExecution(ctx, in)
	if err != nil {
		return o.apiError("stop", err)
	}
	fmt.Fprintf(a.Stdout, "stopped at %s\n", aws.ToTime(out.StopTimestamp).UTC().Format(time.RFC3339))
	return nil
}
