package doctest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
)

// knownImports are the packages a fragment may name without importing them.
var knownImports = map[string]string{
	"durable":     "github.com/lambda-durable/durable",
	"checkpoint":  "github.com/lambda-durable/durable/checkpoint",
	"middleware":  "github.com/lambda-durable/durable/middleware",
	"plugin":      "github.com/lambda-durable/durable/plugin",
	"retry":       "github.com/lambda-durable/durable/retry",
	"logging":     "github.com/lambda-durable/durable/logging",
	"serdes":      "github.com/lambda-durable/durable/serdes",
	"durabletest": "github.com/lambda-durable/durable/durabletest",
	"local":       "github.com/lambda-durable/durable/local",
	"httpapi":     "github.com/lambda-durable/durable/local/httpapi",
	"timeline":    "github.com/lambda-durable/durable/local/timeline",
	"context":     "context",
	"errors":      "errors",
	"fmt":         "fmt",
	"json":        "encoding/json",
	"http":        "net/http",
	"io":          "io",
	"log":         "log",
	"maps":        "maps",
	"slices":      "slices",
	"slog":        "log/slog",
	"os":          "os",
	"rand":        "math/rand/v2",
	"strconv":     "strconv",
	"strings":     "strings",
	"sync":        "sync",
	"testing":     "testing",
	"time":        "time",
}

// Checker type-checks code against the compiled export data of the SDK's
// packages and the standard library.
type Checker struct {
	exports map[string]string // import path -> export data file
}

// NewChecker compiles (through the go command's cache) the packages of the
// module rooted at dir and the standard packages in knownImports.
func NewChecker(dir string) (*Checker, error) {
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", "./..."}
	for _, p := range knownImports {
		if !strings.HasPrefix(p, "github.com/") {
			args = append(args, p)
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list -export: %w\n%s", err, stderr.String())
	}
	c := &Checker{exports: map[string]string{}}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			c.exports[path] = file
		}
	}
	return c, nil
}

// Check type-checks one block with the Markdown file's scope.
func (c *Checker) Check(b Block, scope string) error {
	src, err := Source(b, scope)
	if err != nil || src == "" {
		return err
	}
	return c.CheckFiles(map[string]string{"block.go": src})
}

// CheckFiles type-checks files (name -> source) as one package.
func (c *Checker) CheckFiles(files map[string]string) error {
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments)
		if err != nil {
			return fmt.Errorf("%w\n%s", err, numbered(files[name]))
		}
		parsed = append(parsed, f)
	}
	var errs []error
	conf := types.Config{
		Importer: c.Importer(fset),
		Error: func(err error) {
			var te types.Error
			if errors.As(err, &te) && te.Soft {
				return // unused variables and imports: a fragment shows part of a program
			}
			errs = append(errs, err)
		},
	}
	_, _ = conf.Check(parsed[0].Name.Name, fset, parsed, nil)
	if len(errs) > 0 {
		var text strings.Builder
		for _, name := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(&text, "--- %s\n%s", name, numbered(files[name]))
		}
		return fmt.Errorf("%w\n%s", errors.Join(errs...), text.String())
	}
	return nil
}

// Importer returns a go/types importer that reads the compiled export data
// the Checker found, for tests that type-check code of their own.
func (c *Checker) Importer(fset *token.FileSet) types.Importer {
	return importer.ForCompiler(fset, "gc", c.lookup)
}

func (c *Checker) lookup(path string) (io.ReadCloser, error) {
	file, ok := c.exports[path]
	if !ok {
		return nil, fmt.Errorf("no export data for %q (not a dependency of the module?)", path)
	}
	return os.Open(file)
}

// Source returns the Go file that checks block b, or "" for a skipped block.
func Source(b Block, scope string) (string, error) {
	ann := b.Annotation
	switch {
	case strings.HasPrefix(ann, "skip"):
		if strings.TrimSpace(strings.TrimPrefix(ann, "skip")) == "" {
			return "", fmt.Errorf("%s: doctest: skip needs a reason", b.Where())
		}
		return "", nil
	case strings.HasPrefix(ann, "file "):
		return b.Code, nil
	case ann != "" && !strings.HasPrefix(ann, "func("):
		return "", fmt.Errorf("%s: unknown doctest annotation %q", b.Where(), ann)
	}
	if strings.HasPrefix(strings.TrimSpace(b.Code), "package ") {
		return b.Code, nil
	}
	var body string
	switch {
	case ann != "":
		body = "func _" + strings.TrimPrefix(ann, "func") + " {\n" + b.Code + "\tpanic(\"end of fragment\")\n}\n"
	case parsesAsDecls(b.Code):
		body = b.Code
	default:
		body = "func _(ctx durable.Context) {\n" + b.Code + "}\n"
	}
	var src strings.Builder
	src.WriteString("package doc\n\n")
	for _, path := range importsFor(scope + body) {
		fmt.Fprintf(&src, "import %q\n", path)
	}
	src.WriteString("\n" + scope + "\n" + body)
	return src.String(), nil
}

func parsesAsDecls(code string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code, 0)
	return err == nil
}

var qualified = regexp.MustCompile(`(?:^|[^.\w])([a-z]\w*)\.[A-Z]`)

// importsFor returns the import paths of the known packages code names.
func importsFor(code string) []string {
	seen := map[string]bool{}
	for _, m := range qualified.FindAllStringSubmatch(code, -1) {
		if path, ok := knownImports[m[1]]; ok {
			seen[path] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

func numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
