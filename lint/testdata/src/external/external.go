package external

import (
	"net"
	"net/http"
	"os"
	"os/exec"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, url string) (string, error) {
	limit := os.Getenv("LIMIT")      // want `os.Getenv reads the environment in workflow code: the value can change between invocations .*; read it once at start-up outside the workflow`
	data, _ := os.ReadFile("/tmp/x") // want `os.ReadFile uses the file system in workflow code: .*; do it inside a durable.Step`
	resp, err := http.Get(url)       // want `http.Get calls the network in workflow code`
	if err == nil {
		resp.Body.Close()
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil) // building a request is fine
	_, _ = http.DefaultClient.Do(req)                          // want `http.Client.Do calls the network`
	_, _ = net.Dial("tcp", "x:1")                              // want `net.Dial calls the network`
	_ = exec.Command("true").Run()                             // want `exec.Command runs a process` `exec.Cmd.Run runs a process`
	return limit + string(data), nil
}

// Negative cases.

var region = os.Getenv("AWS_REGION") // read once at start-up, outside workflow code

func inStep(ctx durable.Context, url string) (int, error) {
	return durable.Step(ctx, "fetch", func(sc durable.StepContext) (int, error) {
		req, err := http.NewRequestWithContext(sc, "GET", url+region, nil)
		if err != nil {
			return 0, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		return resp.StatusCode, nil
	})
}

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		durable.NewHandler(inStep)
	}
}
