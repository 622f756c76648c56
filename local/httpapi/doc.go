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
// Routing uses http.ServeMux method and path patterns; unknown paths and
// wrong methods are answered in the AWS error shape too. Each endpoint
// bounds its body by its own limit (a callback result by the 256 KiB
// operation payload limit) before reading it.
//
// Listen serves on a loopback address only, unless AllowNonLoopback says
// otherwise, and puts what it serves behind Guard: requests must name a
// loopback host (or one given with AllowHosts) and browsers cannot send
// cross-site writes. It sets read timeouts and a header limit, and answers
// even the requests net/http refuses before any handler in the AWS error
// shape. Serve anything else meant for the same address (a web console) on
// the handler given to Listen, so that the same guard protects it.
//
// A durable function that the service invokes while it is served over HTTP
// can checkpoint through the real client, so that the SDK's whole wire path
// runs:
//
//	client := httpapi.LambdaClient(srv.URL())
//	h := durable.NewHandler(workflow, durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)))
//	svc.RegisterFunction("workflow", h, local.WithoutContextClient())
package httpapi
