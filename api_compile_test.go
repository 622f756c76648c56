package durable_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/internal/doctest"
)

// The option idiom makes a wrong option a compile error. These tests
// type-check small programs against the SDK's compiled export data (built
// by `go list -export`, cached by the go command): the first table must
// compile, the second must not, each with the error it names.

const snippetPrelude = `package p

import (
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

var (
	_ = time.Second
	_ retry.Strategy
	_ serdes.Serdes
)

type decodeOnly struct{}

func (decodeOnly) Deserialize(serdes.Context, string, any) error { return nil }

type encodeOnly struct{}

func (encodeOnly) Serialize(serdes.Context, any) (string, error) { return "", nil }

func step(durable.StepContext) (int, error)     { return 0, nil }
func child(durable.Context) (int, error)        { return 0, nil }
func item(durable.Context, int, string) (int, error) { return 0, nil }
func check(durable.StepContext, int) (int, error) { return 0, nil }
func submit(durable.StepContext, string) error  { return nil }

func snippet(ctx durable.Context) {
`

var compiles = map[string]string{
	"serdes on step, child, map, parallel, handler": `
		durable.Step(ctx, "", step, durable.WithSerdes(serdes.JSON{}))
		durable.RunInChildContext(ctx, "", child, durable.WithSerdes(serdes.JSON{}))
		durable.Map(ctx, "", []string{"a"}, item, durable.WithSerdes(serdes.JSON{}))
		durable.Parallel(ctx, "", durable.Branches(child), durable.WithSerdes(serdes.JSON{}))
		durable.NewHandler(func(durable.Context, int) (int, error) { return 0, nil }, durable.WithSerdes(serdes.JSON{}))`,
	"batch options on map and parallel": `
		durable.Map(ctx, "", []string{"a"}, item, durable.WithMaxConcurrency(2), durable.WithItemNamer(func(i int) string { return "x" }))
		durable.Parallel(ctx, "", []durable.Branch[int]{durable.NamedBranch("a", child)}, durable.WithMaxConcurrency(2))`,
	"timeouts and result serdes on callbacks and invokes": `
		durable.CreateCallback[int](ctx, "", durable.WithCallbackTimeout(time.Hour), durable.WithResultSerdes(decodeOnly{}))
		durable.WaitForCallback[int](ctx, "", submit, durable.WithHeartbeatTimeout(time.Minute), durable.WithResultSerdes(serdes.JSON{}))
		durable.Invoke[int](ctx, "", "fn", nil, durable.WithResultSerdes(decodeOnly{}), durable.WithPayloadSerdes(encodeOnly{}))`,
	"step options and one-line retry": `
		durable.Step(ctx, "", step, durable.WithRetry(retry.Fixed(3, time.Second).If(func(error) bool { return true })),
			durable.WithAtMostOncePerRetry(), durable.WithSubType("Mine"))
		durable.WaitForCallback[int](ctx, "", submit, durable.WithSubmitterOptions(durable.WithRetry(retry.None())))`,
	"wait for condition": `
		durable.WaitForCondition(ctx, "", check, durable.WithInitialState(1),
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n > 2 }, retry.Fixed(5, time.Second))))`,
	"one name for getting an outcome": `
		cb, _ := durable.CreateCallback[int](ctx, "")
		_, _ = cb.Get()
		_, _ = durable.StepAsync(ctx, "", step).Get()`,
}

var doesNotCompile = []struct{ name, code, err string }{
	{"step option on a child context", `durable.RunInChildContext(ctx, "", child, durable.WithRetry(retry.None()))`, "does not implement durable.ChildOption"},
	{"child option on a step", `durable.Step(ctx, "", step, durable.WithReplayChildren())`, "does not implement durable.StepOption"},
	{"handler option on a step", `durable.Step(ctx, "", step, durable.WithMaxPayloadBytes(1))`, "does not implement durable.StepOption"},
	{"step option on a wait", `durable.WaitAsync(ctx, "", time.Second, durable.WithRetry(retry.None()))`, "too many arguments"},
	{"batch option on a step", `durable.Step(ctx, "", step, durable.WithMaxConcurrency(2))`, "does not implement durable.StepOption"},
	{"map-only option on parallel", `durable.Parallel(ctx, "", durable.Branches(child), durable.WithItemNamer(func(int) string { return "" }))`, "does not implement durable.ParallelOption"},
	{"item namer typed on an item", `durable.Map(ctx, "", []string{"a"}, item, durable.WithItemNamer(func(i int, s string) string { return s }))`, "cannot use"},
	{"step serdes on a callback", `durable.CreateCallback[int](ctx, "", durable.WithSerdes(serdes.JSON{}))`, "does not implement durable.CallbackOption"},
	{"result serdes on a step", `durable.Step(ctx, "", step, durable.WithResultSerdes(decodeOnly{}))`, "does not implement durable.StepOption"},
	{"callback timeout on an invoke", `durable.Invoke[int](ctx, "", "fn", nil, durable.WithCallbackTimeout(time.Hour))`, "does not implement durable.InvokeOption"},
	{"encoder as result serdes", `durable.WithResultSerdes(encodeOnly{})`, "does not implement serdes.Deserializer"},
	{"decoder as payload serdes", `durable.WithPayloadSerdes(decodeOnly{})`, "does not implement serdes.Serializer"},
	{"state option of another type", `durable.WaitForCondition(ctx, "", check, durable.WithInitialState("x"))`, "string"},
	{"invoke with an input type parameter", `durable.Invoke[int, string](ctx, "", "fn", "x")`, "type arguments"},
	{"callback Result", `cb, _ := durable.CreateCallback[int](ctx, ""); cb.Result()`, "cb.Result undefined"},
	{"removed WithLogger", `durable.WithLogger(nil)`, "undefined: durable.WithLogger"},
	{"removed WithLambdaClient", `durable.WithLambdaClient(nil)`, "undefined: durable.WithLambdaClient"},
	{"test hook WithTimerFunc", `durable.WithTimerFunc(nil)`, "undefined: durable.WithTimerFunc"},
	{"test hook WithDefaultClient", `durable.WithDefaultClient(nil)`, "undefined: durable.WithDefaultClient"},
}

func TestOptionsCompile(t *testing.T) {
	imp := sdkImporter(t)
	for name, code := range compiles {
		if errs := typeCheck(t, imp, code); len(errs) > 0 {
			t.Errorf("%s: does not compile:\n%s", name, strings.Join(errs, "\n"))
		}
	}
}

func TestWrongOptionsDoNotCompile(t *testing.T) {
	imp := sdkImporter(t)
	for _, tc := range doesNotCompile {
		errs := typeCheck(t, imp, tc.code)
		if len(errs) == 0 {
			t.Errorf("%s: compiles, want a compile error", tc.name)
			continue
		}
		if !strings.Contains(strings.Join(errs, "\n"), tc.err) {
			t.Errorf("%s: errors\n%s\nwant one containing %q", tc.name, strings.Join(errs, "\n"), tc.err)
		}
	}
}

// typeCheck type-checks the prelude with code as the body of snippet and
// returns the errors, which must all lie in code.
func typeCheck(t *testing.T, imp types.Importer, code string) []string {
	t.Helper()
	src := snippetPrelude + code + "\n}\n"
	bodyLine := strings.Count(snippetPrelude, "\n") + 1
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "snippet.go", src, 0)
	if err != nil {
		t.Fatalf("snippet does not parse: %v\n%s", err, code)
	}
	var errs []string
	conf := types.Config{Importer: imp, Error: func(err error) {
		te := err.(types.Error)
		msg := te.Msg
		if pos := fset.Position(te.Pos); pos.Line < bodyLine {
			t.Fatalf("error in the prelude at line %d: %s", pos.Line, msg)
		}
		if !strings.Contains(msg, "declared and not used") {
			errs = append(errs, msg)
		}
	}}
	_, _ = conf.Check("p", fset, []*ast.File{f}, nil)
	return errs
}

// sdkImporter returns an importer reading the export data of the SDK and
// its dependencies from the go command's build cache.
func sdkImporter(t *testing.T) types.Importer {
	t.Helper()
	checker, err := doctest.NewChecker(".")
	if err != nil {
		t.Fatal(err)
	}
	return checker.Importer(token.NewFileSet())
}
