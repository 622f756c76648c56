package cli

import (
	"bytes"
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
)

// runApp runs a command line in-process and returns its exit status, stdout
// and stderr.
func runApp(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &App{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code := a.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	code, _, stderr := runApp(t, nil)
	if code != 2 || !strings.Contains(stderr, "Commands:") {
		t.Errorf("no arguments: exit %d, stderr %q; want 2 and the command list", code, stderr)
	}
	code, stdout, _ := runApp(t, nil, "help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(stdout, "  "+c.name+" ") {
			t.Errorf("help does not list %s:\n%s", c.name, stdout)
		}
	}
	code, stdout, _ = runApp(t, nil, "help", "start")
	if code != 0 || !strings.Contains(stdout, "Usage: durable start <function>") || !strings.Contains(stdout, "-input") {
		t.Errorf("help start: exit %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runApp(t, nil, "show", "-h")
	if code != 0 || !strings.Contains(stdout, "-format") {
		t.Errorf("show -h: exit %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runApp(t, nil, "demo", "-h")
	if code != 0 || !strings.Contains(stdout, "Usage: durable demo") {
		t.Errorf("demo -h: exit %d, stdout %q", code, stdout)
	}
}

// TestBadInput checks that every mistake on the command line gets exit
// status 2 and one line naming it, before anything is sent.
func TestBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"start"}, "missing function name"},
		{[]string{"start", "f", "g"}, `unexpected argument "g"`},
		{[]string{"start", "f", "-input", "{not json"}, "is not valid JSON"},
		{[]string{"start", "f", "-nope"}, "flag provided but not defined: -nope"},
		{[]string{"start", "f", "-endpoint", "ftp://x"}, "-endpoint"},
		{[]string{"start", "f", "-endpoint", "127.0.0.1:9014"}, "-endpoint"},
		{[]string{"list", "a", "b"}, `unexpected argument "b"`},
		{[]string{"list", "-status", "DONE"}, `unknown status "DONE"`},
		{[]string{"list", "-limit", "-1"}, "-limit -1"},
		{[]string{"show"}, "missing execution ARN"},
		{[]string{"show", "arn", "-format", "svg"}, `-format "svg"`},
		{[]string{"show", "arn", "-width", "-3"}, "-width -3"},
		{[]string{"callback"}, "missing action"},
		{[]string{"callback", "maybe", "id"}, `unknown action "maybe"`},
		{[]string{"callback", "succeed"}, "missing callback id"},
		{[]string{"callback", "heartbeat", "id", "payload"}, `unexpected argument "payload"`},
		{[]string{"callback", "succeed", "id", "-type", "T"}, "-type and -data go with 'callback fail' only"},
		{[]string{"stop"}, "missing execution ARN"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
		{[]string{"serve", "-shutdown-timeout", "0s"}, "-shutdown-timeout"},
		{[]string{"demo", "now"}, "demo takes no arguments"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runApp(t, nil, tt.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", tt.args, code, stderr)
		}
		if !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "durable: ") {
			t.Errorf("%q: stderr %q, want one line containing %q", tt.args, stderr, tt.want)
		}
		if stdout != "" {
			t.Errorf("%q: stdout %q, want nothing", tt.args, stdout)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantName string
	}{
		{[]string{"fn", "-name", "x"}, []string{"fn"}, "x"},
		{[]string{"-name", "x", "fn"}, []string{"fn"}, "x"},
		{[]string{"a", "-name", "x", "b"}, []string{"a", "b"}, "x"},
		{[]string{"-name", "x", "--", "-a", "-name"}, []string{"-a", "-name"}, "x"},
		{[]string{"a", "--", "-b"}, []string{"a", "-b"}, ""},
		{nil, nil, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		name := fs.String("name", "", "")
		pos, err := parse(fs, tt.args)
		if err != nil {
			t.Errorf("parse(%q): %v", tt.args, err)
			continue
		}
		if !slices.Equal(pos, tt.wantPos) || *name != tt.wantName {
			t.Errorf("parse(%q) = %q, name %q; want %q, %q", tt.args, pos, *name, tt.wantPos, tt.wantName)
		}
	}
}

func TestEndpointFromEnvironment(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	a := &App{Getenv: func(k string) string {
		if k == EndpointEnv {
			return "http://127.0.0.1:1234"
		}
		return ""
	}}
	cf := a.addClientFlags(fs)
	if cf.endpoint != "http://127.0.0.1:1234" {
		t.Errorf("endpoint = %q, want the environment's", cf.endpoint)
	}
	cf = (&App{Getenv: func(string) string { return "" }}).addClientFlags(flag.NewFlagSet("t", flag.ContinueOnError))
	if cf.endpoint != DefaultEndpoint {
		t.Errorf("endpoint = %q, want %q", cf.endpoint, DefaultEndpoint)
	}
}
