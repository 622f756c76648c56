// Package httpapi is the HTTP front of the local durable execution service:
// it serves a local.Service with the restJson1 wire protocol of the AWS
// Lambda API, so that the real aws-sdk-go-v2 Lambda client, pointed at it
// with a custom endpoint (see LambdaClient), can start executions (Invoke),
// checkpoint, read state and history, list executions, answer callbacks and
// stop executions.
//
// The wire details follow the Lambda model: ARNs and callback ids are
// percent-encoded inside paths (the escaped path is split on "/" before
// each segment is unescaped), timestamps in JSON bodies are epoch seconds,
// callback results travel as raw bodies, and errors carry their code in the
// X-Amzn-ErrorType header with a {"Type": ..., "message": ...} body.
// Malformed requests get a 4xx answer naming the problem; request bodies
// are bounded (413 RequestTooLargeException) before they are read.
//
// Listen serves on a loopback address only, unless AllowNonLoopback says
// otherwise.
//
// A durable function that the service invokes while it is served over HTTP
// can checkpoint through the real client, so that the SDK's whole wire path
// runs:
//
//	client := httpapi.LambdaClient(srv.URL())
//	h := durable.NewHandler(workflow, durable.WithLambdaClient(client))
//	svc.RegisterFunction("workflow", h, local.WithoutContextClient())
package httpapi
