package httpapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/local"
)

// TestInvokeLookupIsExact invokes, through the real aws-sdk-go-v2 client,
// references that name the registered function's name in another account,
// region, partition or with another qualifier: each is answered 404
// ResourceNotFoundException and starts nothing, while the exact references
// start an execution.
func TestInvokeLookupIsExact(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "greeter", greeter)
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:greeter"
	refused := []struct {
		name, function, qualifier string
	}{
		{"another account's ARN", "arn:aws:lambda:us-east-1:999999999999:function:greeter", ""},
		{"another region's ARN", "arn:aws:lambda:eu-west-1:123456789012:function:greeter", ""},
		{"another partition's ARN", "arn:aws-cn:lambda:us-east-1:123456789012:function:greeter", ""},
		{"another service's ARN", "arn:aws:states:us-east-1:123456789012:function:greeter", ""},
		{"another account's partial ARN", "999999999999:function:greeter", ""},
		{"path in the qualifier", "greeter", "../.."},
		{"path in the ARN's qualifier", arn + ":../..", ""},
		{"another qualifier", "greeter", "v7"},
		{"another qualifier in the name", "greeter:v7", ""},
		{"qualifier in the name and another one", "greeter:$LATEST", "v7"},
		{"name prefix", "greet", ""},
		{"name and more", "greeter:$LATEST:x", ""},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			in := &lambda.InvokeInput{FunctionName: aws.String(tt.function), Payload: []byte(`"x"`)}
			if tt.qualifier != "" {
				in.Qualifier = aws.String(tt.qualifier)
			}
			_, err := e.client.Invoke(t.Context(), in)
			wantAPIError(t, err, "ResourceNotFoundException", 404)
			in.InvocationType = types.InvocationTypeDryRun
			_, err = e.client.Invoke(t.Context(), in)
			wantAPIError(t, err, "ResourceNotFoundException", 404)
		})
	}
	out, err := e.svc.ListExecutions(t.Context(), &local.ListExecutionsInput{FunctionName: "greeter"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.DurableExecutions); n != 0 {
		t.Fatalf("%d executions started by refused invokes", n)
	}

	accepted := []struct{ function, qualifier string }{
		{"greeter", ""}, {"greeter", "$LATEST"}, {"greeter:$LATEST", ""}, {"greeter:$LATEST", "$LATEST"},
		{arn, ""}, {arn + ":$LATEST", ""}, {"123456789012:function:greeter", "$LATEST"},
	}
	for _, tt := range accepted {
		in := &lambda.InvokeInput{FunctionName: aws.String(tt.function), Payload: []byte(`"x"`)}
		if tt.qualifier != "" {
			in.Qualifier = aws.String(tt.qualifier)
		}
		res, err := e.client.Invoke(t.Context(), in)
		if err != nil || res.FunctionError != nil {
			t.Errorf("Invoke %s (Qualifier %q): %v %+v", tt.function, tt.qualifier, err, res)
		}
	}
}
