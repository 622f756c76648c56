package httpapi

import (
	"strings"
	"testing"
)

// FuzzDecodeCheckpoint checks that the checkpoint body decoder never panics
// and that what it accepts has every required member.
func FuzzDecodeCheckpoint(f *testing.F) {
	for _, s := range []string{
		`{"CheckpointToken":"t","ClientToken":"c","Updates":[{"Id":"1","Type":"STEP","Action":"START"}]}`,
		`{"CheckpointToken":"t","Updates":[{"Id":"1","Type":"WAIT","Action":"START","WaitOptions":{"WaitSeconds":5}}]}`,
		`{"CheckpointToken":"t","Updates":[{"Id":"1","Type":"CALLBACK","Action":"START","CallbackOptions":{"TimeoutSeconds":1,"HeartbeatTimeoutSeconds":2}}]}`,
		`{"CheckpointToken":"t","Updates":[{"Id":"1","Type":"CHAINED_INVOKE","Action":"START","ChainedInvokeOptions":{"FunctionName":"f"}}]}`,
		`{"CheckpointToken":"t","Updates":[{"Id":"1","Type":"STEP","Action":"FAIL","Error":{"ErrorType":"x","StackTrace":["a"]}}]}`,
		`{"CheckpointToken":""}`, `{}`, `[]`, `null`, `{"Updates":null}`, ``, `{"CheckpointToken":"t","Updates":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, e := decodeCheckpoint(body)
		if e != nil {
			if e.status != 400 || e.code == "" || e.message == "" {
				t.Fatalf("bad error %+v", e)
			}
			return
		}
		if in.CheckpointToken == nil || *in.CheckpointToken == "" {
			t.Fatal("accepted without a token")
		}
		for _, u := range in.Updates {
			if u.Id == "" || u.Type == "" || u.Action == "" {
				t.Fatalf("accepted an update without Id, Type or Action: %+v", u)
			}
		}
	})
}

// FuzzDecodeErrorObject checks the ErrorObject decoder never panics.
func FuzzDecodeErrorObject(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"ErrorType":"a","ErrorMessage":"b","ErrorData":"c","StackTrace":["d"]}`, `[`, `"x"`, `{"StackTrace":[1]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, e := decodeErrorObject(body); e != nil && (e.status != 400 || e.message == "") {
			t.Fatalf("bad error %+v", e)
		}
	})
}

// FuzzDecodeQuery checks that the query and path decoders never panic and
// report errors as 400s.
func FuzzDecodeQuery(f *testing.F) {
	for _, s := range []string{
		"MaxItems=5&ReverseOrder=true&Marker=abc",
		"StartedAfter=2000-01-01T00%3A00%3A00Z&StartedBefore=946684800.5&Statuses=RUNNING&Statuses=FAILED",
		"IncludeExecutionData=false", "MaxItems=99999999999999", "a=%zz", "&&&=", "MaxItems=1&MaxItems=2",
	} {
		f.Add(s, "/2025-12-01/durable-executions/a%2Fb/history")
	}
	f.Fuzz(func(t *testing.T, raw, path string) {
		_, _ = checkPath(path)
		q := parseQuery(raw)
		q.statuses("Statuses")
		q.count("MaxItems")
		q.boolean("ReverseOrder")
		q.optBool("IncludeExecutionData")
		q.timestamp("StartedAfter")
		q.str("Marker")
		q.all("Statuses")
		if q.err != nil && (q.err.status != 400 || q.err.code != codeInvalidParameter) {
			t.Fatalf("bad error %+v", q.err)
		}
	})
}

// FuzzRewriteRefusal checks that the rewriting of net/http's own refusals
// never panics, leaves anything that is not such a refusal alone, and
// always produces an answer in the AWS error shape.
func FuzzRewriteRefusal(f *testing.F) {
	f.Add([]byte("HTTP/1.1 400 Bad Request" + refusalHeaders + "400 Bad Request"))
	f.Add([]byte("HTTP/1.1 431 Request Header Fields Too Large" + refusalHeaders + "431 Request Header Fields Too Large"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}"))
	f.Add([]byte("HTTP/1.1 4"))
	f.Fuzz(func(t *testing.T, p []byte) {
		out, ok := rewriteRefusal(p)
		if !ok {
			return
		}
		if !strings.Contains(string(p), refusalHeaders) || !strings.Contains(string(out), "\r\n"+headerErrorType+": ") ||
			!strings.Contains(string(out), "Content-Type: application/json") {
			t.Fatalf("rewrote %q as %q", p, out)
		}
	})
}
