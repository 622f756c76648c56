// Command peakmem runs one workload of the benchmark suite once, in a
// process of its own, on the in-process local service, and prints the
// process's peak resident set size: the number to compare with a peer
// runner's process memory.
//
//	go run ./internal/benchmarks/peakmem -w W4 -n 1000 -mode eager
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/benchmarks"
)

func main() {
	w := flag.String("w", "W4", "workload: W2 (n sequential steps), W4 (map over n items) or W5 (parallel of 10x10 steps)")
	n := flag.Int("n", 1000, "steps (W2) or items (W4)")
	mode := flag.String("mode", "eager", "checkpoint mode: eager, batched or optimistic")
	flag.Parse()
	if err := run(*w, *n, *mode); err != nil {
		fmt.Fprintln(os.Stderr, "peakmem:", err)
		os.Exit(1)
	}
}

func run(w string, n int, mode string) error {
	if n < 1 {
		return fmt.Errorf("-n %d: must be at least 1", n)
	}
	var md checkpoint.Mode
	switch mode {
	case "eager":
		md = checkpoint.Eager{}
	case "batched":
		md = checkpoint.Batched{}
	case "optimistic":
		md = checkpoint.Optimistic{}
	default:
		return fmt.Errorf("-mode %q: must be eager, batched or optimistic", mode)
	}
	var wf func(durable.Context, struct{}) (int, error)
	want := n
	switch w {
	case "W2":
		wf = benchmarks.Sequential(n, nil)
	case "W4":
		wf = benchmarks.MapWorkflow(n)
	case "W5":
		wf, want, n = benchmarks.ParallelWorkflow, 100, 100 // -n does not apply
	default:
		return fmt.Errorf("-w %q: must be W2, W4 or W5", w)
	}
	base, _ := peakRSSKiB()
	h := durable.NewHandler(wf, durable.WithLogHandler(slog.DiscardHandler), durable.WithCheckpointMode(md))
	r := durabletest.New(h)
	defer r.Close()
	ctx := context.Background()
	stop, peaks := sampleMemory()
	began := time.Now()
	if err := r.Start(ctx, nil); err != nil {
		return err
	}
	res, err := r.Resume(ctx)
	if err != nil {
		return err
	}
	wall := time.Since(began)
	close(stop)
	pk := <-peaks
	if !res.Done() || res.Error != nil || res.Result != strconv.Itoa(want) {
		return fmt.Errorf("execution ended %s with %q: %+v", res.Status, res.Result, res.Error)
	}
	peak, ok := peakRSSKiB()
	if !ok {
		return errors.New("no peak RSS: /proc/self/status has no VmHWM (Linux only)")
	}
	fmt.Printf("%s n=%d %s: wall %v, peak RSS %.1f MiB (%.1f MiB before the run), peak heap %.1f MiB, peak stacks %.2f MiB, peak goroutines %d, starting stack %d B, GOMAXPROCS %d\n",
		w, n, mode, wall.Round(time.Microsecond), float64(peak)/1024, float64(base)/1024,
		float64(pk[0])/(1<<20), float64(pk[1])/(1<<20), pk[2], pk[3], runtime.GOMAXPROCS(0))
	return nil
}

// sampleMemory samples the Go heap (live and not yet collected), the
// goroutine stacks, the number of goroutines and the starting stack size
// every 200 us until stop is closed, then sends their peaks.
func sampleMemory() (chan<- struct{}, <-chan [4]uint64) {
	stop, peaks := make(chan struct{}), make(chan [4]uint64, 1)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"},
		{Name: "/sched/goroutines:goroutines"}, {Name: "/gc/stack/starting-size:bytes"}}
	go func() {
		var pk [4]uint64
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			for i := range s {
				if s[i].Value.Kind() == metrics.KindUint64 {
					pk[i] = max(pk[i], s[i].Value.Uint64())
				}
			}
			select {
			case <-stop:
				peaks <- pk
				return
			case <-t.C:
			}
		}
	}()
	return stop, peaks
}

// peakRSSKiB reads the process's peak resident set size (VmHWM) on Linux.
func peakRSSKiB() (uint64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}
