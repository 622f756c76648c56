package httpapi

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

func TestEncodeAPIWritesEpochSeconds(t *testing.T) {
	start := time.Date(2025, 1, 2, 3, 4, 5, 123_000_000, time.UTC)
	end := start.Add(2 * time.Second)
	v := struct {
		Exec local.Execution
		Op   checkpoint.Operation
	}{
		Exec: local.Execution{DurableExecutionArn: "a", Status: local.ExecutionRunning, StartTimestamp: start},
		Op: checkpoint.Operation{Id: "x", Type: checkpoint.TypeWait, Status: checkpoint.StatusStarted,
			StartTimestamp: checkpoint.At(start),
			WaitDetails:    &checkpoint.WaitDetails{ScheduledEndTimestamp: checkpoint.At(end)}},
	}
	b, err := encodeAPI(v)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"StartTimestamp":1735787045.123`,
		`"ScheduledEndTimestamp":1735787047.123`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("encoded %s\nwant it to contain %s", got, want)
		}
	}
	if strings.Contains(got, "0001-01-01") || strings.Contains(got, `"EndTimestamp"`) {
		t.Errorf("zero timestamps must be dropped: %s", got)
	}
}

func TestEpochSecondsRoundTrip(t *testing.T) {
	for _, ms := range []int64{0, 1, 999, 1000, 1_735_787_045_123, 1_735_787_045_100, 4_102_444_800_001} {
		tm := time.UnixMilli(ms)
		n := epochSeconds(tm)
		f, err := n.Float64()
		if err != nil {
			t.Fatal(err)
		}
		if back := fromEpochSeconds(f); !back.Equal(tm) {
			t.Errorf("%d ms -> %s -> %v, want %v", ms, n, back, tm)
		}
	}
}

// TestTimestampMembersEndInTimestamp guards encodeAPI: it finds timestamps by
// member name, so every time field of the types it encodes must be named
// "...Timestamp".
func TestTimestampMembersEndInTimestamp(t *testing.T) {
	timeType := reflect.TypeFor[time.Time]()
	tsType := reflect.TypeFor[checkpoint.Timestamp]()
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ == timeType || typ == tsType || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if (ft == timeType || ft == tsType) && !strings.HasSuffix(name, "Timestamp") {
				t.Errorf("%s.%s is a time but its JSON name %q does not end in Timestamp", path, f.Name, name)
			}
			walk(path+"."+f.Name, f.Type)
		}
	}
	for _, v := range []any{
		local.GetExecutionOutput{}, local.GetHistoryOutput{}, local.ListExecutionsOutput{},
		local.StopExecutionOutput{}, checkpoint.CheckpointOutput{}, checkpoint.ExecutionState{},
	} {
		walk(reflect.TypeOf(v).Name(), reflect.TypeOf(v))
	}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		e          *apiError
		msgKey     string
		typ        string
		retryAfter string
	}{
		{badRequest(codeInvalidParameter, "bad"), "message", "User", ""},
		{&apiError{status: 404, code: codeResourceNotFound, message: "gone"}, "Message", "User", ""},
		{&apiError{status: 429, code: codeTooManyRequests, message: "slow", retryAfter: 1500 * time.Millisecond}, "message", "User", "2"},
		{&apiError{status: 500, code: codeServiceException, message: "oops"}, "Message", "Service", ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		writeError(rec, tt.e)
		if rec.Code != tt.e.status {
			t.Errorf("%s: status %d, want %d", tt.e.code, rec.Code, tt.e.status)
		}
		if got := rec.Header().Get("X-Amzn-ErrorType"); got != tt.e.code {
			t.Errorf("%s: X-Amzn-ErrorType %q", tt.e.code, got)
		}
		if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
			t.Errorf("%s: Retry-After %q, want %q", tt.e.code, got, tt.retryAfter)
		}
		var body map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if body["Type"] != tt.typ || body[tt.msgKey] != tt.e.message {
			t.Errorf("%s: body %v, want Type %q and %s %q", tt.e.code, body, tt.typ, tt.msgKey, tt.e.message)
		}
	}
}
