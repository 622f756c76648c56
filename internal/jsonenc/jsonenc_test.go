package jsonenc

import (
	"encoding/json"
	"testing"
)

func TestMarshalWritesHTMLAndLineSeparatorsLiterally(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"a<b>&c\u2028d\u2029e", "\"a<b>&c\u2028d\u2029e\""},
		{map[string]string{"k<": "&\u2028"}, "{\"k<\":\"&\u2028\"}"},
		// An escaped backslash before "u2028" is text, not an escape.
		{`\u2028`, `"\\u2028"`},
		{"\\\u2028", "\"\\\\\u2028\""},
		{"quote\" tab\t nl\n", `"quote\" tab\t nl\n"`},
		{json.RawMessage(`{"a":"<\u2028>"}`), "{\"a\":\"<\u2028>\"}"},
		{nil, "null"},
	} {
		got, err := String(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("String(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		b, err := Marshal(tc.in)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%q) = %q, %v; want %q", tc.in, b, err, tc.want)
		}
		var back any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("Marshal(%q) is not JSON: %v", tc.in, err)
		}
	}
}

func TestMarshalError(t *testing.T) {
	if _, err := Marshal(make(chan int)); err == nil {
		t.Fatal("Marshal(chan) succeeded")
	}
	// The pooled encoder is still usable afterwards.
	if got, err := String(1); err != nil || got != "1" {
		t.Fatalf("String(1) = %q, %v", got, err)
	}
}

func BenchmarkString(b *testing.B) {
	v := map[string]any{"orderId": "o-7", "qty": 2, "note": "a < b"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := String(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibMarshal(b *testing.B) {
	v := map[string]any{"orderId": "o-7", "qty": 2, "note": "a < b"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}
