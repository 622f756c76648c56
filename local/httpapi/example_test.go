package httpapi_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// A durable workflow served over HTTP: the SDK checkpoints through the real
// aws-sdk-go-v2 Lambda client against the local server, and the same kind of
// client starts the execution. The virtual clock skips the hour-long wait.
func Example() {
	svc := local.New(
		local.WithClock(local.NewVirtualClock(time.Time{})),
		local.WithTimeSkipping(local.SkipWhenIdle),
	)
	defer svc.Close()
	srv, err := httpapi.Listen("127.0.0.1:0", httpapi.NewHandler(svc))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	client := httpapi.LambdaClient(srv.URL())

	greet := func(ctx durable.Context, name string) (string, error) {
		msg, err := durable.Step(ctx, "compose", func(durable.StepContext) (string, error) {
			return "hello " + name, nil
		})
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Hour); err != nil {
			return "", err
		}
		return msg + ", an hour later", nil
	}
	// The function checkpoints through its own client (HTTP), not through
	// the in-process client the service would otherwise inject.
	handler := durable.NewHandler(greet, durable.WithLambdaClient(client))
	if err := svc.RegisterFunction("greeter", handler, local.WithoutContextClient()); err != nil {
		panic(err)
	}

	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{
		FunctionName:         aws.String("greeter"),
		DurableExecutionName: aws.String("first"),
		Payload:              []byte(`"world"`),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.StatusCode, string(out.Payload))
	// Output:
	// 200 "hello world, an hour later"
}
