// Command lambda is the order workflow as a Lambda function: the binary
// docs/deploy.md builds, packages and deploys with AWS SAM or the AWS CLI.
//
//	GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/order/lambda
package main

import (
	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/examples/order"
)

func main() { durable.Start(order.Workflow) }
