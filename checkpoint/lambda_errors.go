package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Error codes the classification looks at.
const (
	codeTooManyRequests = "TooManyRequestsException"
	codeKMSPrefix       = "KMS"
)

// classifyLambdaError turns an error from the Lambda client into a *Error classified by
// the service contract. A canceled context is not the service's doing: it is
// returned wrapped, without a *Error.
func classifyLambdaError(op string, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("checkpoint: %s: %w", op, err)
	}
	ce := &Error{Operation: op, Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		ce.StatusCode = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		ce.Code = ae.ErrorCode()
		ce.Message = ae.ErrorMessage()
	}
	ce.Retryable = lambdaRetryable(ce, err)
	return ce
}

// lambdaRetryable applies the contract's table: a stale token, throttling, 5xx
// (except KMS), network failures (a response cut off included) and timeouts
// are retryable; KMS errors, other 4xx and client-side failures (invalid
// parameters, undecodable responses) are terminal.
func lambdaRetryable(ce *Error, err error) bool {
	switch {
	case IsStaleToken(ce):
		return true
	case strings.HasPrefix(ce.Code, codeKMSPrefix):
		return false
	case ce.Code == codeTooManyRequests, ce.StatusCode == http.StatusTooManyRequests:
		return true
	case ce.StatusCode >= 500:
		return true
	case ce.StatusCode >= 400:
		return false
	}
	var invalid smithy.InvalidParamsError
	var decode *smithy.DeserializationError
	var ae smithy.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF):
		// A body that ends early is the network's doing, not the
		// service's: the same call may well succeed.
		return true
	case errors.As(err, &invalid), errors.As(err, &decode):
		return false
	case errors.As(err, &ae):
		// A modeled error without an HTTP status: trust its fault side.
		return ae.ErrorFault() == smithy.FaultServer
	}
	// No response at all: the network failed.
	return true
}
