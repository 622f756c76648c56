package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// Your own function, run against the local service in your process and
// answered over HTTP as `durable callback succeed` would: register the
// handler (it checkpoints in-process), serve the service, and point the
// CLI (or any Lambda client) at the server's URL.
func Example_ownFunction() {
	approve := func(ctx durable.Context, doc string) (string, error) {
		verdict, err := durable.WaitForCallback[string](ctx, "approval", func(sc durable.StepContext, callbackID string) error {
			sc.Logger().Info("please review", "doc", doc, "callbackId", callbackID)
			return nil
		})
		return doc + ": " + verdict, err
	}

	svc := local.New()
	defer svc.Close()
	if err := svc.RegisterFunction("approval", durable.NewHandler(approve, durable.WithLogHandler(slog.DiscardHandler))); err != nil {
		panic(err)
	}
	srv, err := httpapi.Listen("127.0.0.1:0", httpapi.NewHandler(svc))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	// What the CLI does: durable start approval -input '"contract"', then
	// durable callback succeed <id> approved.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := httpapi.LambdaClient(srv.URL())
	started, err := client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:         aws.String("approval"),
		DurableExecutionName: aws.String("contract-1"),
		InvocationType:       "Event",
		Payload:              []byte(`"contract"`),
	})
	if err != nil {
		panic(err)
	}
	arn := aws.ToString(started.DurableExecutionArn)
	if err := svc.WaitIdle(ctx); err != nil {
		panic(err)
	}
	open, _ := svc.OpenCallbacks(arn)
	if _, err := client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
		CallbackId: aws.String(open[0].CallbackId),
		Result:     []byte("approved"),
	}); err != nil {
		panic(err)
	}
	final, err := svc.WaitForCompletion(ctx, arn)
	if err != nil {
		panic(err)
	}
	fmt.Println(final.Status, *final.Result)
	// Output:
	// SUCCEEDED "contract: approved"
}
