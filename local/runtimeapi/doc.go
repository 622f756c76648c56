// Package runtimeapi runs a Lambda function executable locally, behind an
// emulation of the Lambda Runtime API, so that the binary a user deploys is
// the one the local durable execution service invokes.
//
// A Function starts the executable on its first invocation with
// AWS_LAMBDA_RUNTIME_API pointing at its own loopback HTTP server and the
// environment Lambda gives a function (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION,
// AWS_LAMBDA_LOG_FORMAT, ...). The runtime inside the executable (for a Go
// function, aws-lambda-go's lambda.Start) then speaks the Runtime API:
//
//	GET  /2018-06-01/runtime/invocation/next           the next event, with the
//	     Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn
//	     and -Trace-Id headers
//	POST /2018-06-01/runtime/invocation/{id}/response  the handler's result
//	POST /2018-06-01/runtime/invocation/{id}/error     the handler's error
//	POST /2018-06-01/runtime/init/error                a failed initialisation
//
// As on Lambda, a process is reused across invocations and runs one
// invocation at a time: concurrent invocations get processes of their own.
// If a process exits (or crashes) the invocation in flight fails with an
// error wrapping local.ErrRuntimeExit, and a new process takes the next
// invocation; an event that a reused process exited before taking (as
// aws-lambda-go exits after reporting a panic) goes to a new process. A
// handler's error is a *FunctionError carrying the runtime's report, which
// the local service records as is. An invocation whose context ends (the function timeout) kills
// its process. Close stops them all.
//
// A Function is a local.Function, so it registers with the service like any
// handler; with LambdaEndpoint set, the SDK inside the executable checkpoints
// against the local service's HTTP front (AWS_ENDPOINT_URL_LAMBDA, with
// dummy credentials):
//
//	fn, err := runtimeapi.New(runtimeapi.Config{
//		Name:           "orders",
//		Path:           "./bootstrap",
//		LambdaEndpoint: srv.URL(),
//	})
//	...
//	defer fn.Close()
//	svc.RegisterFunction("orders", fn, local.WithoutContextClient())
package runtimeapi
