package console_test

import (
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/console"
)

// htmlPayload is user data that a page must show as text.
const htmlPayload = `<script>alert(1)</script><b>x</b>`

// approve runs a map of 20 items, two parallel branches (one of which
// retries a step once), a step whose result is HTML, and waits for an
// approval callback.
func approve(ctx durable.Context, order string) (string, error) {
	if _, err := durable.Map(ctx, "items", make([]int, 20), func(_ durable.Context, i int, _ int) (int, error) {
		return i * i, nil
	}); err != nil {
		return "", err
	}
	checks := []durable.Branch[int]{
		{Name: "stock", Func: func(ctx durable.Context) (int, error) {
			return durable.Step(ctx, "flaky", func(sc durable.StepContext) (int, error) {
				if sc.Attempt() < 2 {
					return 0, errors.New("first attempt fails")
				}
				return sc.Attempt(), nil
			})
		}},
		{Name: "credit", Func: func(durable.Context) (int, error) { return 1, nil }},
	}
	if _, err := durable.Parallel(ctx, "checks", checks); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "render", func(durable.StepContext) (string, error) { return htmlPayload, nil }); err != nil {
		return "", err
	}
	answer, err := durable.WaitForCallback[string](ctx, "approval", func(durable.StepContext, string) error { return nil })
	if err != nil {
		return "", err
	}
	return order + " approved by " + answer, nil
}

// fixture is a service with the approve workflow and its console.
type fixture struct {
	svc *local.Service
	srv *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	svc := local.New(local.WithClock(local.NewVirtualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))),
		local.WithTimeSkipping(local.SkipUnlessCallbacksOpen))
	t.Cleanup(func() { _ = svc.Close() })
	if err := svc.RegisterFunction("approve", durable.NewHandler(approve, durable.WithLogHandler(slog.DiscardHandler))); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(console.New(svc))
	t.Cleanup(srv.Close)
	return &fixture{svc: svc, srv: srv}
}

// start starts an approve execution and waits until it waits for its
// callback.
func (f *fixture) start(t *testing.T, name, input string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	arn, err := f.svc.StartExecution(ctx, local.StartInput{FunctionName: "approve", ExecutionName: name, Input: []byte(input), Async: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	return arn
}

// get fetches a console page and returns its status and body.
func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// post submits a form without following the redirect.
func (f *fixture) post(t *testing.T, path string, form url.Values) *http.Response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(f.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func executionPath(arn string) string { return "/execution?" + url.Values{"arn": {arn}}.Encode() }

func TestListFiltersAndSearches(t *testing.T) {
	f := newFixture(t)
	a := f.start(t, "order-alpha", `"a"`)
	b := f.start(t, "order-beta", `"b"`)
	if _, err := f.svc.StopExecution(context.Background(), &local.StopExecutionInput{DurableExecutionArn: b}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query      string
		want, lack []string
	}{
		{"/", []string{"order-alpha", "order-beta", "2 of 2 executions", "RUNNING", "STOPPED"}, nil},
		{"/?status=RUNNING", []string{"order-alpha", "1 of 2"}, []string{"order-beta"}},
		{"/?status=stopped", []string{"order-beta"}, []string{"order-alpha"}},
		{"/?q=ALPHA", []string{"order-alpha"}, []string{"order-beta"}},
		{"/?q=gamma", []string{"0 of 2", "No execution matches"}, []string{"order-alpha", "order-beta"}},
		{"/?status=DONE", []string{"Unknown status DONE", "order-alpha", "order-beta"}, nil},
	}
	for _, tt := range tests {
		code, body := f.get(t, tt.query)
		if code != http.StatusOK {
			t.Errorf("GET %s: status %d", tt.query, code)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tt.query, w)
			}
		}
		for _, l := range tt.lack {
			if strings.Contains(body, l) {
				t.Errorf("GET %s shows %q", tt.query, l)
			}
		}
	}
	// The newest execution comes first and links to its page.
	_, body := f.get(t, "/")
	if strings.Index(body, "order-beta") > strings.Index(body, "order-alpha") {
		t.Error("the list is not newest first")
	}
	if got := links(t, body); len(got) != 2 || got[1] != a {
		t.Errorf("the list links to %q, want the second link to %s", got, a)
	}
}

func TestExecutionPageShowsEverything(t *testing.T) {
	f := newFixture(t)
	arn := f.start(t, "order-1", `"order-1"`)
	code, body := f.get(t, executionPath(arn))
	if code != http.StatusOK {
		t.Fatalf("status %d:\n%s", code, body)
	}
	ops, err := f.svc.Operations(arn)
	if err != nil {
		t.Fatal(err)
	}
	// Every operation (the EXECUTION one aside) has a row on the timeline
	// and a node in the tree.
	rows := regexp.MustCompile(`<g class="op" data-id="([^"]+)"`).FindAllStringSubmatch(body, -1)
	nodes := regexp.MustCompile(`<details class="op" data-id="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(rows) != len(ops)-1 || len(nodes) != len(ops)-1 {
		t.Errorf("%d operations, %d timeline rows, %d tree nodes", len(ops)-1, len(rows), len(nodes))
	}
	for _, op := range ops[1:] {
		if !strings.Contains(body, `<g class="op" data-id="`+op.Id+`"`) {
			t.Errorf("operation %s (%s) has no timeline row", op.Id, op.Name)
		}
	}
	for _, want := range []string{
		`data-status="RUNNING"`, "MapIteration", "ParallelBranch", "stock", "credit", "approval", `name="callbackId"`,
		`value="succeed"`, `value="fail"`, `value="heartbeat"`, "Stop execution",
		"StepFailed", "first attempt fails", "2 attempts", "InvocationCompleted", "&#34;order-1&#34;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the execution page lacks %q", want)
		}
	}
	// The tree nests: flaky runs in the stock branch of the checks parallel.
	if !regexp.MustCompile(`<text class="label" x="28" y="\d+">flaky</text>`).MatchString(body) ||
		!regexp.MustCompile(`<text class="label" x="16" y="\d+">stock</text>`).MatchString(body) {
		t.Error("the timeline does not indent flaky and stock under checks")
	}
	if !strings.Contains(body, "data-refresh") {
		t.Error("the page of a running execution does not refresh")
	}
}

func TestPayloadsAreEscaped(t *testing.T) {
	f := newFixture(t)
	arn := f.start(t, "escaped", `"<i>evil</i>"`)
	_, body := f.get(t, executionPath(arn))
	for _, raw := range []string{"<script>alert", "<b>x</b>", "<i>evil</i>"} {
		if strings.Contains(body, raw) {
			t.Errorf("the page contains the raw markup %q", raw)
		}
	}
	if !strings.Contains(body, "&#34;&lt;i&gt;evil&lt;/i&gt;&#34;") {
		t.Error("the HTML input is not shown as text")
	}
	// A callback result is stored as sent, markup included.
	open, err := f.svc.OpenCallbacks(arn)
	if err != nil || len(open) != 1 {
		t.Fatalf("open callbacks %v, %v", open, err)
	}
	resp := f.post(t, "/callback", url.Values{"arn": {arn}, "callbackId": {open[0].CallbackId}, "action": {"succeed"}, "result": {htmlPayload}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("succeed: status %d", resp.StatusCode)
	}
	_, body = f.get(t, executionPath(arn))
	if strings.Contains(body, htmlPayload) || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;") {
		t.Error("the HTML callback result is not shown as text")
	}
}

func TestCallbackButtons(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct {
		action string
		form   url.Values
		status local.ExecutionStatus
		want   string
	}{
		{"succeed", url.Values{"result": {"ada"}}, local.ExecutionSucceeded, "approved by ada"},
		{"fail", url.Values{"errorType": {"Rejected"}, "errorMessage": {"no stock"}}, local.ExecutionFailed, "Rejected: no stock"},
	} {
		arn := f.start(t, "order-"+tt.action, `"o"`)
		open, err := f.svc.OpenCallbacks(arn)
		if err != nil || len(open) != 1 {
			t.Fatalf("open callbacks %v, %v", open, err)
		}
		form := tt.form
		form.Set("arn", arn)
		form.Set("callbackId", open[0].CallbackId)
		form.Set("action", "heartbeat")
		if resp := f.post(t, "/callback", form); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("heartbeat: status %d", resp.StatusCode)
		}
		form.Set("action", tt.action)
		resp := f.post(t, "/callback", form)
		wantLocation := "execution?" + url.Values{"arn": {arn}}.Encode()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != wantLocation {
			t.Fatalf("%s: status %d, location %q", tt.action, resp.StatusCode, resp.Header.Get("Location"))
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		out, err := f.svc.WaitForCompletion(wctx, arn)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if out.Status != tt.status {
			t.Fatalf("%s: the execution ended %s", tt.action, out.Status)
		}
		_, body := f.get(t, executionPath(arn))
		if !strings.Contains(body, tt.want) || strings.Contains(body, "data-refresh") {
			t.Errorf("%s: the page of the ended execution lacks %q or still refreshes:\n%s", tt.action, tt.want, body)
		}
		// The callback is closed now: answering again shows the error.
		resp = f.post(t, "/callback", form)
		body = readAll(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "CallbackTimeoutException") {
			t.Errorf("second answer: status %d", resp.StatusCode)
		}
	}
}

func TestStopButton(t *testing.T) {
	f := newFixture(t)
	arn := f.start(t, "order-stop", `"o"`)
	resp := f.post(t, "/stop", url.Values{"arn": {arn}, "errorType": {"Operator"}, "errorMessage": {"<stopped>"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("stop: status %d", resp.StatusCode)
	}
	_, body := f.get(t, executionPath(arn))
	if !strings.Contains(body, `data-status="STOPPED"`) || !strings.Contains(body, "Operator: &lt;stopped&gt;") {
		t.Error("the stopped execution's page lacks its status or error")
	}
	if strings.Contains(body, "Stop execution") {
		t.Error("an ended execution still offers the stop button")
	}
	resp = f.post(t, "/stop", url.Values{"arn": {arn}})
	if body := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already ended") {
		t.Errorf("stopping twice: status %d", resp.StatusCode)
	}
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	arn := f.start(t, "order-bad", `"o"`)
	for _, tt := range []struct {
		method, path string
		form         url.Values
		status       int
		want         string
	}{
		{"GET", "/execution", nil, http.StatusBadRequest, "execution ARN is missing"},
		{"GET", executionPath("arn:aws:lambda:us-east-1:123456789012:function:nope"), nil, http.StatusNotFound, "ResourceNotFoundException"},
		{"GET", "/callback", nil, http.StatusMethodNotAllowed, ""},
		{"GET", "/no-such-page", nil, http.StatusNotFound, ""},
		{"POST", "/callback", url.Values{"arn": {arn}, "callbackId": {"x"}, "action": {"maybe"}}, http.StatusBadRequest, "unknown callback action maybe"},
		{"POST", "/callback", url.Values{"arn": {arn}, "action": {"succeed"}}, http.StatusBadRequest, "CallbackId is required"},
		{"POST", "/stop", url.Values{}, http.StatusBadRequest, ""},
		{"POST", "/callback", url.Values{"result": {strings.Repeat("x", 2<<20)}}, http.StatusRequestEntityTooLarge, "reading the form"},
	} {
		var resp *http.Response
		if tt.method == "GET" {
			var err error
			if resp, err = http.Get(f.srv.URL + tt.path); err != nil {
				t.Fatal(err)
			}
		} else {
			resp = f.post(t, tt.path, tt.form)
		}
		body := readAll(t, resp)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s: status %d, want %d and %q:\n%.300s", tt.method, tt.path, resp.StatusCode, tt.status, tt.want, body)
		}
	}
}

func TestSecurityHeadersAndStaticFiles(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/static/console.css", "/static/console.js"} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: framing allowed", path)
		}
	}
}

// links returns the execution ARNs the list links to, in order.
func links(t *testing.T, body string) []string {
	t.Helper()
	var arns []string
	for _, m := range regexp.MustCompile(`href="execution\?([^"]+)"`).FindAllStringSubmatch(body, -1) {
		q, err := url.ParseQuery(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, q.Get("arn"))
	}
	return arns
}

// TestActionsRefuseOtherSites checks that a form posted from another site
// cannot stop an execution.
func TestActionsRefuseOtherSites(t *testing.T) {
	f := newFixture(t)
	arn := f.start(t, "order-csrf", `"o"`)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "http://evil.example"},
		{"Origin": "null"},
	} {
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/stop", strings.NewReader(url.Values{"arn": {arn}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("stop with %v: status %d, want 403", h, resp.StatusCode)
		}
	}
	out, err := f.svc.GetExecution(context.Background(), &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil || out.Status != local.ExecutionRunning {
		t.Fatalf("after the cross-site posts the execution is %v, %v; want RUNNING", out.Status, err)
	}
	// A form of the console itself passes.
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/stop", strings.NewReader(url.Values{"arn": {arn}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.srv.URL)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a same-origin stop: status %d, want 303", resp.StatusCode)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
