package httpapi

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Region is the AWS region the local service pretends to be in.
const Region = "us-east-1"

// LambdaClient returns an aws-sdk-go-v2 Lambda client that talks to the
// local service at url (e.g. Server.URL()): region us-east-1, static dummy
// credentials (requests are signed as usual; the server ignores the
// signature) and the SDK's standard retryer limited to 3 attempts. optFns
// adjust the options further, as with lambda.New.
//
// Durable functions that the service invokes over HTTP checkpoint through
// such a client: durable.NewHandler(fn, durable.WithCheckpointClient(checkpoint.NewLambdaClient(client))).
func LambdaClient(url string, optFns ...func(*lambda.Options)) *lambda.Client {
	opts := lambda.Options{
		Region:       Region,
		BaseEndpoint: aws.String(strings.TrimSuffix(url, "/")),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "durable local service"}, nil
		}),
		RetryMaxAttempts: 3,
	}
	return lambda.New(opts, optFns...)
}
