package checkpoint_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
)

func ExampleNewLambdaClient() {
	// A stand-in for the service that rejects every token as stale.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-ErrorType", "InvalidParameterValueException")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Type":"User","message":"Invalid Checkpoint Token"}`)
	}))
	defer srv.Close()

	client := checkpoint.NewLambdaClient(lambda.New(lambda.Options{
		BaseEndpoint: aws.String(srv.URL),
		Region:       "us-east-1",
		Credentials:  aws.AnonymousCredentials{},
	}))
	_, err := client.Checkpoint(context.Background(), &checkpoint.CheckpointInput{
		DurableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:f:1/durable-execution/e/1",
		CheckpointToken:     "stale",
	})
	var ce *checkpoint.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Code, ce.StatusCode, ce.Retryable)
	}
	// Output: InvalidParameterValueException 400 true
}

func ExampleNewDefaultClient() {
	// In a Lambda function: credentials and region come from the environment.
	client, err := checkpoint.NewDefaultClient(context.Background())
	if err != nil {
		fmt.Println("loading AWS config:", err)
		return
	}
	_ = client // pass to the durable handler's options
}
