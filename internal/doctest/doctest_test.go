package doctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository's root, two folders up.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// markdownFiles lists README.md and every Markdown file under docs/.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func parseFile(t *testing.T, root, path string) Doc {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(root, path)
	doc, err := Parse(rel, string(text))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestDocsTypeCheck type-checks every Go block of README.md and docs/.
func TestDocsTypeCheck(t *testing.T) {
	root := repoRoot(t)
	checker, err := NewChecker(root)
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, path := range markdownFiles(t, root) {
		doc := parseFile(t, root, path)
		quickStart := map[string]string{}
		for _, b := range doc.Blocks {
			blocks++
			if name, ok := strings.CutPrefix(b.Annotation, "file "); ok {
				quickStart[name] = b.Code
				continue
			}
			if err := checker.Check(b, doc.Scope); err != nil {
				t.Errorf("%s: %v", b.Where(), err)
			}
		}
		if len(quickStart) > 0 {
			if err := checker.CheckFiles(quickStart); err != nil {
				t.Errorf("%s: the files of its module: %v", filepath.Base(path), err)
			}
		}
	}
	if blocks < 20 {
		t.Errorf("found %d Go blocks in the docs, expected at least 20: is the parser broken?", blocks)
	}
}

// TestQuickStartInFreshModule follows the README's install steps in a new
// module outside the repository, with the README's main.go and main_test.go,
// and runs its tests.
func TestQuickStartInFreshModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module from scratch")
	}
	root := repoRoot(t)
	doc := parseFile(t, root, filepath.Join(root, "README.md"))
	dir := t.TempDir()
	files := 0
	for _, b := range doc.Blocks {
		if name, ok := strings.CutPrefix(b.Annotation, "file "); ok {
			files++
			if err := os.WriteFile(filepath.Join(dir, name), []byte(b.Code), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if files != 2 {
		t.Fatalf("README has %d quick-start files, want main.go and main_test.go", files)
	}
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	for _, args := range [][]string{
		{"mod", "init", "example.com/shop"},
		{"mod", "edit", "-replace", "github.com/lambda-durable/durable=" + root},
		{"mod", "tidy"},
		{"vet", "./..."},
		{"test", "-count=1", "./..."},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestSourceWrapsFragments(t *testing.T) {
	for _, tc := range []struct {
		name, annotation, code string
		want                   string // a line the source must contain
	}{
		{"statements", "", "durable.Wait(ctx, \"w\", time.Second)\n", "func _(ctx durable.Context) {"},
		{"declarations", "", "type T struct{ A int }\n", "type T struct{ A int }"},
		{"signature", "func(ctx durable.Context) (int, error)", "return 1, nil\n", "func _(ctx durable.Context) (int, error) {"},
		{"imports", "", "slog.Info(time.Now().String())\n", `import "log/slog"`},
	} {
		src, err := Source(Block{File: "x.md", Line: 1, Code: tc.code, Annotation: tc.annotation}, "")
		if err != nil || !strings.Contains(src, tc.want) {
			t.Errorf("%s: source\n%s\n(%v), want it to contain %q", tc.name, src, err, tc.want)
		}
	}
	if _, err := Source(Block{File: "x.md", Line: 3, Annotation: "skip"}, ""); err == nil {
		t.Error("skip without a reason accepted")
	}
	if _, err := Source(Block{File: "x.md", Line: 3, Annotation: "compile"}, ""); err == nil {
		t.Error("unknown annotation accepted")
	}
}

func TestCheckerRejectsBrokenCode(t *testing.T) {
	checker, err := NewChecker(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, code := range map[string]string{
		"undefined function": "charge(ctx)\n",
		"wrong argument":     "durable.Wait(ctx, \"w\", \"one second\")\n",
		"unknown option":     "durable.NoSuchOption()\n",
	} {
		if err := checker.Check(Block{File: "x.md", Line: 1, Code: code}, ""); err == nil {
			t.Errorf("%s: %q type-checked", name, code)
		}
	}
	ok := Block{File: "x.md", Line: 1, Code: "users := []string{}\n_ = durable.Wait(ctx, \"w\", time.Second)\n"}
	if err := checker.Check(ok, ""); err != nil {
		t.Errorf("a correct fragment with an unused variable failed: %v", err)
	}
}

func TestParseAnnotationsAndScope(t *testing.T) {
	doc, err := Parse("x.md", "intro\n<!-- doctest-scope\nvar users []string\n-->\n<!-- doctest: skip shows a compile error -->\n\n```go\nbad(\n```\ntext\n<!-- doctest: func() error -->\ntext between\n```go\nok()\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Scope != "var users []string\n" || len(doc.Blocks) != 2 {
		t.Fatalf("doc = %+v", doc)
	}
	if doc.Blocks[0].Annotation != "skip shows a compile error" || doc.Blocks[0].Line != 7 {
		t.Errorf("first block = %+v", doc.Blocks[0])
	}
	if doc.Blocks[1].Annotation != "" {
		t.Errorf("an annotation separated by text applied: %+v", doc.Blocks[1])
	}
	if _, err := Parse("x.md", "```go\nunclosed\n"); err == nil {
		t.Error("unclosed block accepted")
	}
}
