package main

import (
	"testing"
)

func TestParseBenchLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		name string
		ns   float64
		ok   bool
	}{
		{"BenchmarkW3/N=1000-2         	       1	   2898798 ns/op	         0 calls/op", "BenchmarkW3/N=1000", 2898798, true},
		{"BenchmarkW5 	 100	 1310000.5 ns/op", "BenchmarkW5", 1310000.5, true},
		{"ok  	github.com/lambda-durable/durable/internal/benchmarks	0.044s", "", 0, false},
		{"BenchmarkW2/N=1000/eager-2 --- FAIL", "", 0, false},
	} {
		name, ns, ok := parseBenchLine(tc.line)
		if name != tc.name || ns != tc.ns || ok != tc.ok {
			t.Errorf("parseBenchLine(%q) = %q, %v, %v; want %q, %v, %v", tc.line, name, ns, ok, tc.name, tc.ns, tc.ok)
		}
	}
}

func TestJSMedians(t *testing.T) {
	data := []byte(`{"results":[
	 {"mode":"nodelay","workload":"W2","size":1000,"reps":[{"netMs":30},{"netMs":10},{"netMs":20}]},
	 {"mode":"nodelay","workload":"W2","size":100,"reps":[{"netMs":1}]},
	 {"mode":"nodelay","workload":"W3","size":1000,"reps":[{"netMs":900,"invMs":[500,40]},{"netMs":900,"invMs":[500,30]},{"netMs":9,"invMs":[9]}]},
	 {"mode":"nodelay","workload":"W4","size":1000,"error":"child exited 1"},
	 {"mode":"nodelay","workload":"W5","size":100,"reps":[{"netMs":4},{"netMs":6}]}
	]}`)
	got, err := jsMedians(data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"W2": 20, "W3": 35, "W5": 5, "Replay3000": 35}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v (a failed workload has no median)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, err := jsMedians([]byte("{")); err == nil {
		t.Error("malformed JSON accepted")
	}
}

func TestRunRejectsBadCounts(t *testing.T) {
	if err := run("unused", 0, 5, "1x", nil); err == nil {
		t.Error("pairs=0 accepted")
	}
}

func TestRatioPerStep(t *testing.T) {
	same := workload{jsSize: 1000}
	if r := same.ratio(200, 10); r != 20 {
		t.Errorf("same size: %v, want 20", r)
	}
	// JS replays 1,000 steps in 200 ms, Go 3,000 in 30 ms: 0.2 ms against
	// 0.01 ms per step.
	per := workload{jsSize: 1000, goSize: 3000}
	if r := per.ratio(200, 30); r != 20 {
		t.Errorf("per step: %v, want 20", r)
	}
}
