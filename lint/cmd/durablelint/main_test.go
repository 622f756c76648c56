package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoVet builds durablelint and runs it as go vet's tool on a tiny
// module: a workflow with one finding and one suppressed finding, and a
// clean package.
func TestGoVet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tool and runs go vet")
	}
	dir := t.TempDir()
	tool := filepath.Join(dir, "durablelint")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// The module is named like the SDK so that the SDK's stub (the one the
	// analyzers' tests use) is its root package: no download needed.
	mod := filepath.Join(dir, "mod")
	stub, err := os.ReadFile("../../testdata/src/github.com/lambda-durable/durable/durable.go")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(mod, "go.mod"), "module github.com/lambda-durable/durable\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "durable.go"), string(stub))
	write(t, filepath.Join(mod, "bad", "bad.go"), `package bad

import (
	"time"

	"github.com/lambda-durable/durable"
)

func Workflow(ctx durable.Context, in string) (string, error) {
	if time.Now().Hour() < 12 {
		return "morning", nil
	}
	//durablelint:ignore wallclock logged only, decides nothing
	ctx.Logger().Info("at", "t", time.Now())
	return "", nil
}
`)
	write(t, filepath.Join(mod, "good", "good.go"), `package good

import "github.com/lambda-durable/durable"

func Workflow(ctx durable.Context, in string) (string, error) {
	now, err := durable.Now(ctx)
	if err != nil {
		return "", err
	}
	return now.String(), durable.Wait(ctx, "pause", 0)
}
`)

	vet := func(pkg string) (string, error) {
		cmd := exec.Command("go", "vet", "-vettool="+tool, pkg)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := vet("./bad")
	if err == nil {
		t.Fatalf("go vet ./bad succeeded, want a finding:\n%s", out)
	}
	if want := "bad.go:10:5: time.Now reads the wall clock in workflow code"; !strings.Contains(out, want) {
		t.Errorf("go vet ./bad output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "bad.go:14") {
		t.Errorf("the suppressed finding on line 14 was reported:\n%s", out)
	}

	if out, err := vet("./good"); err != nil {
		t.Errorf("go vet ./good: %v\n%s", err, out)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
