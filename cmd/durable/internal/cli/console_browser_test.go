package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// htmlPayload is user data the console must show as text, never as markup.
const htmlPayload = `<script>alert(1)</script><b>x</b>`

// screenshotDirEnv names the directory the browser test writes its
// screenshots to (default: durable-console-screenshots in os.TempDir()).
const screenshotDirEnv = "DURABLE_CONSOLE_SCREENSHOTS"

// fanOut is the workflow the browser test watches: a map of 20 items, a
// step that fails once before it succeeds, and a callback it waits for.
func fanOut(ctx durable.Context, note string) (string, error) {
	res, err := durable.Map(ctx, "items", make([]int, 20), func(ctx durable.Context, i int, _ int) (int, error) {
		return durable.Step(ctx, fmt.Sprintf("square-%d", i), func(durable.StepContext) (int, error) { return i * i, nil })
	})
	if err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "flaky", func(sc durable.StepContext) (int, error) {
		if sc.Attempt() < 2 {
			return 0, errors.New("the first attempt fails")
		}
		return sc.Attempt(), nil
	}); err != nil {
		return "", err
	}
	answer, err := durable.WaitForCallback[string](ctx, "approval", func(durable.StepContext, string) error { return nil })
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d squares, note %s, approved: %s", len(res.Results()), note, answer), nil
}

// chromium returns the path of the Chromium binary. Without one the test
// fails in CI (CI=true) and is skipped elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed (apt-get install chromium); the console's browser test must run in CI")
	}
	t.Skip("Chromium is not installed (apt-get install chromium); skipping the console's browser test")
	return ""
}

// screenshotter saves screenshots into the artifact directory.
type screenshotter struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func newScreenshotter(t *testing.T, ctx context.Context) *screenshotter {
	dir := os.Getenv(screenshotDirEnv)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "durable-console-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &screenshotter{t: t, ctx: ctx, dir: dir}
}

// save writes the screenshot the action takes to dir/name.
func (s *screenshotter) save(name string, shot chromedp.Action[[]byte]) {
	s.t.Helper()
	png, err := chromedp.Run(s.ctx, shot)
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(s.dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.t.Logf("screenshot: %s", path)
}

// TestConsoleInBrowser drives the console of `durable serve` in headless
// Chromium: the list, the execution page of a 20-item map waiting for a
// callback, the callback button, and HTML payloads shown as text.
func TestConsoleInBrowser(t *testing.T) {
	browser := chromium(t)
	srv, err := startServer(serverConfig{addr: "127.0.0.1:0", skipTime: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.close(context.Background()) })
	h := durable.NewHandler(fanOut, durable.WithCheckpointClient(checkpoint.NewLambdaClient(srv.client)), durable.WithLogHandler(slog.DiscardHandler))
	if err := srv.svc.RegisterFunction("fan-out", h, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	input := []byte(`"` + htmlPayload + `"`) // a JSON string, markup as is
	stopped := startAndWait(ctx, t, srv.svc, "fan-out-0", input)
	if _, err := srv.svc.StopExecution(ctx, &local.StopExecutionInput{DurableExecutionArn: stopped}); err != nil {
		t.Fatal(err)
	}
	arn := startAndWait(ctx, t, srv.svc, "fan-out-1", input)
	if open, err := srv.svc.OpenCallbacks(arn); err != nil || len(open) != 1 {
		t.Fatalf("the execution should wait for one callback: %v, %v", open, err)
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-dev-shm-usage", true))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	var dialogs atomic.Int32 // an alert would mean a payload ran as script
	if err := chromedp.Listen(bctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	shots := newScreenshotter(t, bctx)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// submit runs steps that load another page and waits for its load.
	submit := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		lctx, stop := context.WithCancel(bctx)
		defer stop()
		loads := chromedp.Events(lctx, page.LoadEventFired)
		do(what, steps...)
		for _, err := range loads {
			if err != nil {
				t.Fatalf("%s: waiting for the page: %v", what, err)
			}
			break
		}
	}
	eval := func(expr string, out any) {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[json.RawMessage](expr))
		if err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
		if err := json.Unmarshal(v, out); err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
	}

	// The list shows the executions, newest first, and filters them by
	// status; a link opens the execution page.
	listed := func() []string {
		var names []string
		eval(`[...document.querySelectorAll("#executions a.execution")].map(a => a.textContent)`, &names)
		return names
	}
	do("opening the list", chromedp.Navigate(srv.url()+"/"), chromedp.WaitVisible(chromedp.CSS("#executions")))
	if names := listed(); !slices.Equal(names, []string{"fan-out-1", "fan-out-0"}) {
		t.Fatalf("the list shows %q, want [fan-out-1 fan-out-0]", names)
	}
	shots.save("list.png", chromedp.CaptureScreenshot())
	submit("filtering the list", chromedp.SetValue(chromedp.CSS("#status-filter"), "RUNNING"),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	if names := listed(); !slices.Equal(names, []string{"fan-out-1"}) {
		t.Fatalf("the RUNNING executions are %q, want [fan-out-1]", names)
	}
	do("opening the execution", chromedp.Click(chromedp.CSS("#executions a.execution")),
		chromedp.WaitVisible(chromedp.CSS(`#execution-status[data-status="RUNNING"]`)),
		chromedp.WaitVisible(chromedp.CSS("#gantt")))

	// The timeline has a row for every operation the service recorded.
	ops, err := srv.svc.Operations(arn)
	if err != nil {
		t.Fatal(err)
	}
	var want, rows []string
	for _, op := range ops[1:] { // ops[0] is the EXECUTION operation
		want = append(want, op.Id)
	}
	eval(`[...document.querySelectorAll("#gantt g.op")].map(g => g.dataset.id)`, &rows)
	slices.Sort(want)
	slices.Sort(rows)
	if len(want) < 43 || !slices.Equal(rows, want) {
		t.Errorf("the timeline shows %d operations %q; the service has %d: %q", len(rows), rows, len(want), want)
	}
	var items int
	eval(`[...document.querySelectorAll("#operations .kind")].filter(k => k.textContent === "MapIteration").length`, &items)
	if items != 20 {
		t.Errorf("the operation tree shows %d map items, want 20", items)
	}

	// The HTML input is text: no element was made of it, no script ran.
	var shown string
	eval(`document.getElementById("execution-input").textContent`, &shown)
	if shown != string(input) {
		t.Errorf("the input shows as %q, want the text %q", shown, input)
	}
	shots.save("execution.png", chromedp.CaptureScreenshot())
	shots.save("timeline.png", chromedp.Screenshot(chromedp.CSS("#gantt")))

	// Answer the callback with HTML; the page follows the execution to its end.
	do("answering the callback",
		chromedp.SendKeys(chromedp.CSS(`form.callback textarea[name="result"]`), htmlPayload),
		chromedp.Click(chromedp.CSS(`form.callback button[value="succeed"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#execution-status[data-status="SUCCEEDED"]`)))
	out, err := srv.svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil || out.Status != local.ExecutionSucceeded {
		t.Fatalf("after the button the service says %+v, %v", out, err)
	}
	var result string
	eval(`document.getElementById("execution-result").textContent`, &result)
	if result != *out.Result {
		t.Errorf("the page shows the result %q, the service %q", result, *out.Result)
	}
	var injected int
	eval(`document.querySelectorAll("#live pre b, #live pre script, #live td b").length`, &injected)
	if injected != 0 {
		t.Errorf("%d elements were made of payload markup", injected)
	}
	var found bool
	eval(`[...document.querySelectorAll("#operations pre.payload")].some(p => p.textContent === `+jsString(htmlPayload)+`)`, &found)
	if !found {
		t.Error("the callback's HTML result is not shown as text in the operation tree")
	}
	shots.save("finished.png", chromedp.CaptureScreenshot())

	// A page follows its running execution by itself: answer another
	// execution's callback behind the page's back and watch it end, with no
	// navigation (the marker set on the page survives).
	live := startAndWait(ctx, t, srv.svc, "fan-out-2", input)
	open, err := srv.svc.OpenCallbacks(live)
	if err != nil || len(open) != 1 {
		t.Fatalf("fan-out-2 should wait for one callback: %v, %v", open, err)
	}
	do("opening fan-out-2", chromedp.Navigate(srv.url()+"/execution?"+url.Values{"arn": {live}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS(`#execution-status[data-status="RUNNING"]`)))
	var marked bool
	eval(`window.consoleTestMarker = true`, &marked)
	if err := srv.svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: open[0].CallbackId, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	do("waiting for the page to refresh", chromedp.WaitVisible(chromedp.CSS(`#execution-status[data-status="SUCCEEDED"]`)))
	eval(`window.consoleTestMarker === true`, &marked)
	if !marked {
		t.Error("the page was reloaded instead of refreshed in place")
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: a payload ran as script", n)
	}
}

// startAndWait starts a fan-out execution and waits until it waits for its
// callback.
func startAndWait(ctx context.Context, t *testing.T, svc *local.Service, name string, input []byte) string {
	t.Helper()
	arn, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "fan-out", ExecutionName: name, Input: input, Async: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	return arn
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
