package cli

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

	"github.com/lambda-durable/durable/local/httpapi"
)

// clientFlags holds the flags every client command has.
type clientFlags struct {
	endpoint string
}

func (a *App) addClientFlags(fs *flag.FlagSet) *clientFlags {
	cf := &clientFlags{}
	def := a.getenv(EndpointEnv)
	if def == "" {
		def = DefaultEndpoint
	}
	fs.StringVar(&cf.endpoint, "endpoint", def, "URL of the durable server (env "+EndpointEnv+")")
	return cf
}

// client returns a Lambda client for the endpoint, after checking that it
// is an http(s) URL.
func (cf *clientFlags) client() (*lambda.Client, error) {
	u, err := url.Parse(cf.endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &usageError{msg: fmt.Sprintf("-endpoint %q: want a URL such as %s", cf.endpoint, DefaultEndpoint)}
	}
	return httpapi.LambdaClient(cf.endpoint, func(o *lambda.Options) {
		o.RetryMaxAttempts = 1 // a CLI reports at once instead of retrying
	}), nil
}

// apiError turns an error of the Lambda client into a short one: the
// service's error code and message, or a hint when the server is not there.
// The original error stays reachable with errors.As.
func (cf *clientFlags) apiError(op string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return &shortError{msg: fmt.Sprintf("%s: %s: %s", op, ae.ErrorCode(), ae.ErrorMessage()), err: err}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return &shortError{msg: fmt.Sprintf("%s: cannot reach the durable server at %s (is 'durable serve' running?)", op, cf.endpoint), err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// shortError is an error with a message shorter than its cause's.
type shortError struct {
	msg string
	err error
}

func (e *shortError) Error() string { return e.msg }
func (e *shortError) Unwrap() error { return e.err }
