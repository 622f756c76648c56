package external

// The network cases (net/http, net, database/sql) are covered by
// TestMatchExternal: loading net/http from source would double the time of
// the analyzers' tests.

import (
	"os"
	"os/exec"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, url string) (string, error) {
	limit := os.Getenv("LIMIT")      // want `os.Getenv reads the environment in workflow code: the value can change between invocations .*; read it once at start-up outside the workflow`
	data, _ := os.ReadFile("/tmp/x") // want `os.ReadFile uses the file system in workflow code: .*; do it inside a durable.Step`
	_, _ = os.Stat("/tmp")           // want `os.Stat uses the file system`
	_ = os.Args                      // reading the arguments is fine
	_ = os.PathSeparator             // so are constants
	_ = exec.Command("true").Run()   // want `exec.Command runs a process` `exec.Cmd.Run runs a process`
	return limit + string(data), nil
}

// Negative cases.

var region = os.Getenv("AWS_REGION") // read once at start-up, outside workflow code

func inStep(ctx durable.Context, url string) (int, error) {
	return durable.Step(ctx, "fetch", func(sc durable.StepContext) (int, error) {
		data, err := os.ReadFile(url + region)
		if err != nil {
			return 0, err
		}
		return len(data), exec.CommandContext(sc, "true").Run()
	})
}

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		durable.NewHandler(inStep)
	}
}
