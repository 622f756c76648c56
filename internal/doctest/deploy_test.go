package doctest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sdkCall matches a request the SDK's Lambda client builds, such as
// &lambda.CheckpointDurableExecutionInput{.
var sdkCall = regexp.MustCompile(`&lambda\.(\w+)Input\{`)

// sdkActions lists the Lambda API actions that the SDK's client code calls
// (the non-test Go files of checkpoint/ and internal/engine/).
func sdkActions(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, dir := range []string{"checkpoint", filepath.Join("internal", "engine")} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range sdkCall.FindAllStringSubmatch(string(src), -1) {
				seen["lambda:"+m[1]] = true
			}
		}
	}
	actions := make([]string, 0, len(seen))
	for a := range seen {
		actions = append(actions, a)
	}
	slices.Sort(actions)
	return actions
}

// TestDeployGrantsEverySDKAction checks that the SAM template and the AWS CLI
// policy of docs/deploy.md allow every call the SDK's client makes.
func TestDeployGrantsEverySDKAction(t *testing.T) {
	root := repoRoot(t)
	actions := sdkActions(t, root)
	if !slices.Contains(actions, "lambda:CheckpointDurableExecution") {
		t.Fatalf("found %v: the scan no longer sees the checkpoint call", actions)
	}
	for _, doc := range []string{filepath.Join("docs", "deploy", "template.yaml"), filepath.Join("docs", "deploy.md")} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if !strings.Contains(string(text), a) {
				t.Errorf("%s does not grant %s, which the SDK calls", doc, a)
			}
		}
	}
}
