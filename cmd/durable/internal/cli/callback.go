package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

type callbackOpts struct {
	*clientFlags
	errType string
	errData string
}

func callbackFlags(a *App) (*flag.FlagSet, *callbackOpts) {
	fs := flag.NewFlagSet("callback", flag.ContinueOnError)
	o := &callbackOpts{clientFlags: a.addClientFlags(fs)}
	fs.StringVar(&o.errType, "type", "", "fail: the error type")
	fs.StringVar(&o.errData, "data", "", "fail: the error data")
	return fs, o
}

// callback answers a callback:
//
//	durable callback succeed <id> [result]   the result is sent as is (usually JSON)
//	durable callback fail <id> [message]     with -type and -data for the error object
//	durable callback heartbeat <id>
func (a *App) callback(ctx context.Context, args []string) error {
	fs, o := callbackFlags(a)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{msg: "missing action: succeed, fail or heartbeat"}
	}
	action, pos := pos[0], pos[1:]
	maxArgs := 2
	switch action {
	case "succeed", "fail":
	case "heartbeat":
		maxArgs = 1
	default:
		return &usageError{msg: fmt.Sprintf("unknown action %q: want succeed, fail or heartbeat", action)}
	}
	if err := wantArgs(pos, 1, maxArgs, "callback id"); err != nil {
		return err
	}
	if action != "fail" && (o.errType != "" || o.errData != "") {
		return &usageError{msg: "-type and -data go with 'callback fail' only"}
	}
	id := pos[0]
	var payload string
	if len(pos) == 2 {
		payload = pos[1]
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	switch action {
	case "succeed":
		_, err = client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
			CallbackId: aws.String(id),
			Result:     []byte(payload),
		})
	case "fail":
		e := &types.ErrorObject{}
		if payload != "" {
			e.ErrorMessage = aws.String(payload)
		}
		if o.errType != "" {
			e.ErrorType = aws.String(o.errType)
		}
		if o.errData != "" {
			e.ErrorData = aws.String(o.errData)
		}
		_, err = client.SendDurableExecutionCallbackFailure(ctx, &lambda.SendDurableExecutionCallbackFailureInput{
			CallbackId: aws.String(id),
			Error:      e,
		})
	case "heartbeat":
		_, err = client.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{
			CallbackId: aws.String(id),
		})
	}
	if err != nil {
		return o.apiError("callback "+action, err)
	}
	fmt.Fprintf(a.Stdout, "callback %s: sent\n", action)
	return nil
}
