package cli

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// buildFunction builds the durable function in testdata/<name> into a
// Lambda executable ("bootstrap") in a temporary directory.
func buildFunction(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./testdata/"+name)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/%s: %v\n%s", name, err, out)
	}
	return bin
}

// The user's own function, built as the Lambda executable it is deployed
// as, runs under `durable serve -fn`: the CLI starts it, answers its
// callback and lists it, on a server without the example workflows.
func TestServeRunsTheUsersExecutable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bin := buildFunction(t, "approval")
	bg := serveInBackground(t, "-addr", "127.0.0.1:0", "-example=false", "-fn", "approval="+bin)
	defer bg.stop(t)
	srv := bg.srv
	if !strings.Contains(bg.out.String(), "functions: approval\n") {
		t.Errorf("serve output does not list the function alone:\n%s", bg.out.String())
	}

	_, stderr := cli(t, srv, 0, "list")
	if !strings.Contains(stderr, "no executions") {
		t.Errorf("list on a server without the example: stderr %q", stderr)
	}
	stdout, _ := cli(t, srv, 0, "start", "approval", "-name", "laptop", "-input", `{"item":"laptop"}`)
	arn := strings.TrimSpace(stdout)
	id := openCallback(ctx, t, srv, arn)
	cli(t, srv, 0, "callback", "succeed", id, `{"approved":true,"by":"ada"}`)
	final, err := srv.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionSucceeded || final.Result == nil || *final.Result != `"laptop approved by ada"` {
		t.Fatalf("execution ended %s, result %v, error %+v; want SUCCEEDED with the approval", final.Status, final.Result, final.Error)
	}
	stdout, _ = cli(t, srv, 0, "list", "approval")
	if !strings.Contains(stdout, "SUCCEEDED") || !strings.Contains(stdout, "laptop") {
		t.Errorf("list approval:\n%s", stdout)
	}
	if n := srv.executables[0].Starts(); n != 1 {
		t.Errorf("the executable was started %d times for two invocations, want once (reused)", n)
	}
}

// The in-process way of docs/local-service.md: the user's handler,
// registered with a local service served over HTTP, answers to the CLI.
func TestCLIAnswersAnInProcessFunction(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	svc := local.New()
	defer svc.Close()
	hs, err := httpapi.Listen("127.0.0.1:0", httpapi.NewHandler(svc))
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	approve := func(ctx durable.Context, item string) (string, error) {
		by, err := durable.WaitForCallback[string](ctx, "approval", func(durable.StepContext, string) error { return nil })
		return item + " approved by " + by, err
	}
	if err := svc.RegisterFunction("approval", durable.NewHandler(approve)); err != nil {
		t.Fatal(err)
	}

	srv := &server{svc: svc, http: hs}
	stdout, _ := cli(t, srv, 0, "start", "approval", "-input", `"laptop"`)
	arn := strings.TrimSpace(stdout)
	cli(t, srv, 0, "callback", "succeed", openCallback(ctx, t, srv, arn), "ada") // a string callback result is the raw text sent
	final, err := svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionSucceeded || *final.Result != `"laptop approved by ada"` {
		t.Fatalf("execution ended %s %s %+v", final.Status, aws.ToString(final.Result), final.Error)
	}
}
