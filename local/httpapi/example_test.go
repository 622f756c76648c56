package httpapi_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
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
	handler := durable.NewHandler(greet, durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)))
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

// Guard protects a handler served on the developer's machine: requests
// must name a loopback host (or an allowed one), and browsers cannot send
// it cross-site writes. Listen applies it already; this is for a handler
// served some other way.
func ExampleGuard() {
	page := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "console") })
	h := httpapi.Guard(page, httpapi.GuardOptions{AllowedHosts: []string{"devbox.internal"}})

	for _, host := range []string{"localhost:9014", "devbox.internal:9014", "attacker.example"} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host = host
		h.ServeHTTP(rec, r)
		fmt.Println(host, rec.Code, cmp.Or(rec.Header().Get("X-Amzn-ErrorType"), rec.Body.String()))
	}
	post := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("stop=all"))
	post.Host = "localhost:9014"
	post.Header.Set("Origin", "https://attacker.example")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	fmt.Println("cross-site POST", rec.Code, rec.Header().Get("X-Amzn-ErrorType"))
	// Output:
	// localhost:9014 200 console
	// devbox.internal:9014 200 console
	// attacker.example 403 AccessDeniedException
	// cross-site POST 403 AccessDeniedException
}
