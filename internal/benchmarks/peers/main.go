// Command peers measures this SDK against AWS's JavaScript durable SDK on the
// same workloads, side by side on one machine: it alternates runs of the JS
// harness (../shared/peers/js, `node bench.mjs`) and of this repository's
// workload benchmarks (internal/benchmarks), and prints the ratio of the two
// for every pair of runs and, at the end, one line per workload:
//
//	W3 ratio 12.3x (min 10.1x, max 14.0x)
//
// where the ratio is the JS median time divided by the Go time (higher is
// faster for Go), the headline the median over the pairs, and min/max the
// spread over the pairs. A last line, Replay3000, compares the replay of
// 3,000 recorded steps (BenchmarkReplay3000) with the JS SDK's replay of
// 1,000 (W3.inv2) per replayed step.
//
// The JS side runs in its "nodelay" mode (the local runner's artificial
// 1 ms timer per checkpoint removed; see the harness's README), which is the
// fairer comparison. W3 compares the second invocation alone (the replay of
// 1,000 steps) on both sides.
//
// Usage (make bench-peers runs it with the defaults):
//
//	go run ./internal/benchmarks/peers [-js DIR] [-pairs 3] [-reps 5]
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// workload pairs one JS measurement with one Go benchmark.
type workload struct {
	name    string // W2, W3, ...
	jsName  string // the JS harness's row (W3.inv2 is W3's second invocation)
	jsSize  int
	goBench string // the Go benchmark's full name, without the -GOMAXPROCS suffix
	goRegex string // the -test.bench pattern that selects goBench alone
	// goSize, when set, is the Go side's size where it differs from jsSize:
	// the two times are then compared per unit (per replayed step).
	goSize int
}

// ratio returns how many times faster the Go side is: jsMS / goMS, per
// unit of size when the two sides differ in size.
func (w workload) ratio(jsMS, goMS float64) float64 {
	if w.goSize == 0 || w.goSize == w.jsSize {
		return jsMS / goMS
	}
	return (jsMS / float64(w.jsSize)) / (goMS / float64(w.goSize))
}

var workloads = []workload{
	{"W2", "W2", 1000, "BenchmarkW2/N=1000/eager", "^BenchmarkW2$/^N=1000$/^eager$", 0},
	{"W3", "W3.inv2", 1000, "BenchmarkW3/N=1000", "^BenchmarkW3$/^N=1000$", 0},
	{"W4", "W4", 1000, "BenchmarkW4/M=1000/eager", "^BenchmarkW4$/^M=1000$/^eager$", 0},
	{"W5", "W5", 100, "BenchmarkW5", "^BenchmarkW5$", 0},
	// Replay3000 replays 3,000 recorded steps from the event, against the
	// in-memory client; it is compared per replayed step with the JS SDK's
	// replay of 1,000 (W3.inv2).
	{"Replay3000", "W3.inv2", 1000, "BenchmarkReplay3000", "^BenchmarkReplay3000$", 3000},
}

func main() {
	jsDir := flag.String("js", "../shared/peers/js", "the JS peer harness (read-only is fine: it is copied)")
	pairs := flag.Int("pairs", 3, "how many (JS, Go) pairs of runs")
	reps := flag.Int("reps", 5, "timed repetitions per JS workload")
	benchtime := flag.String("benchtime", "1s", "go test -benchtime for the Go side")
	flag.Parse()
	if err := run(*jsDir, *pairs, *reps, *benchtime, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench-peers:", err)
		os.Exit(1)
	}
}

func run(jsDir string, pairs, reps int, benchtime string, out io.Writer) error {
	if pairs < 1 || reps < 1 {
		return errors.New("-pairs and -reps must be at least 1")
	}
	if _, err := exec.LookPath("node"); err != nil {
		return errors.New("node is not installed: the JS side cannot run")
	}
	work, err := prepareJS(jsDir)
	if err != nil {
		return err
	}
	bin, err := buildGo(work)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "# bench-peers %s  %s/%s  cpus=%d  %s  node %s  load %s\n",
		time.Now().UTC().Format(time.RFC3339), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		runtime.Version(), nodeVersion(), loadAverage())
	ratios := map[string][]float64{}
	for p := range pairs {
		// Alternate which side goes first, so drift in the machine's load
		// does not favour one side.
		var js map[string]float64
		var gov map[string]float64
		steps := []func() error{
			func() (err error) { js, err = runJS(work, reps); return },
			func() (err error) { gov, err = runGo(bin, benchtime); return },
		}
		if p%2 == 1 {
			slices.Reverse(steps)
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		for _, w := range workloads {
			jsMS, ok1 := js[w.name]
			goMS, ok2 := gov[w.name]
			if !ok1 || !ok2 || goMS <= 0 {
				return fmt.Errorf("pair %d: %s missing (js %v, go %v)", p+1, w.name, ok1, ok2)
			}
			r := w.ratio(jsMS, goMS)
			ratios[w.name] = append(ratios[w.name], r)
			per := ""
			if w.goSize != 0 && w.goSize != w.jsSize {
				per = fmt.Sprintf("  (per step: js %d steps, go %d)", w.jsSize, w.goSize)
			}
			fmt.Fprintf(out, "pair %d  %-10s js %9.3f ms  go %9.3f ms  ratio %6.1fx%s\n", p+1, w.name, jsMS, goMS, r, per)
		}
	}
	fmt.Fprintf(out, "# done %s  load %s\n", time.Now().UTC().Format(time.RFC3339), loadAverage())
	for _, w := range workloads {
		rs := ratios[w.name]
		fmt.Fprintf(out, "%s ratio %.1fx (min %.1fx, max %.1fx)\n", w.name, median(rs), slices.Min(rs), slices.Max(rs))
	}
	return nil
}

// prepareJS copies the harness into a cache folder keyed by its lock file and
// installs its packages there once (npm ci), since the shared folder may be
// read-only.
func prepareJS(src string) (string, error) {
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("the JS harness: %w", err)
	}
	sum := sha256.Sum256(lock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dst := filepath.Join(cache, "durable-bench-peers", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".mjs") || strings.HasSuffix(e.Name(), ".json")) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return "", err
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "node_modules")); err == nil {
		return dst, nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dst, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci in %s: %w", dst, err)
	}
	return dst, nil
}

// jsResult is the part of one `node bench.mjs --json` result that is read.
type jsResult struct {
	Mode     string `json:"mode"`
	Workload string `json:"workload"`
	Size     int    `json:"size"`
	Error    string `json:"error"`
	Reps     []struct {
		NetMS float64   `json:"netMs"`
		InvMS []float64 `json:"invMs"`
	} `json:"reps"`
}

// runJS runs the JS harness once and returns each workload's median in ms.
func runJS(dir string, reps int) (map[string]float64, error) {
	out := filepath.Join(dir, "last-run.json")
	cmd := exec.Command("node", "bench.mjs", "--modes", "nodelay", "--only", "W2,W3,W4,W5",
		"--sizes", "1000", "--reps", strconv.Itoa(reps), "--json", out)
	cmd.Dir = dir
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("node bench.mjs: %w\n%s", err, log.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	return jsMedians(data)
}

// jsMedians reads a `node bench.mjs --json` file: each workload's median
// time in ms over its timed repetitions (W3.inv2: the second invocations).
func jsMedians(data []byte) (map[string]float64, error) {
	var doc struct{ Results []jsResult }
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the JS results: %w", err)
	}
	got := map[string]float64{}
	for _, w := range workloads {
		for _, r := range doc.Results {
			if r.Error != "" || r.Size != w.jsSize || r.Workload != strings.TrimSuffix(w.jsName, ".inv2") {
				continue
			}
			var xs []float64
			for _, rep := range r.Reps {
				switch {
				case w.jsName != r.Workload && len(rep.InvMS) == 2:
					xs = append(xs, rep.InvMS[1])
				case w.jsName == r.Workload:
					xs = append(xs, rep.NetMS)
				}
			}
			if len(xs) > 0 {
				got[w.name] = median(xs)
			}
		}
	}
	return got, nil
}

// buildGo compiles the workload benchmarks' test binary into dir.
func buildGo(dir string) (string, error) {
	bin := filepath.Join(dir, "benchmarks.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, "./internal/benchmarks")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go test -c: %w", err)
	}
	return bin, nil
}

// runGo runs each workload's Go benchmark once and returns its time in ms.
func runGo(bin, benchtime string) (map[string]float64, error) {
	got := map[string]float64{}
	for _, w := range workloads {
		cmd := exec.Command(bin, "-test.run", "^$", "-test.count", "1", "-test.benchtime", benchtime,
			"-test.bench", w.goRegex)
		cmd.Dir = filepath.Join("internal", "benchmarks")
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", w.goBench, err, log.String())
		}
		sc := bufio.NewScanner(&log)
		for sc.Scan() {
			if name, ns, ok := parseBenchLine(sc.Text()); ok && name == w.goBench {
				got[w.name] = ns / 1e6
			}
		}
	}
	return got, nil
}

// benchLine matches one result line of a benchmark run.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// parseBenchLine reads the name (without the -GOMAXPROCS suffix) and ns/op
// of one result line of a benchmark run.
func parseBenchLine(line string) (name string, ns float64, ok bool) {
	m := benchLine.FindStringSubmatch(line)
	if m == nil {
		return "", 0, false
	}
	ns, err := strconv.ParseFloat(m[2], 64)
	return m[1], ns, err == nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// loadAverage returns the machine's 1, 5 and 15 minute load averages
// (/proc/loadavg), or "?" where there is no such file.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
