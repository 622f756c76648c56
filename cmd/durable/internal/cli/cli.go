// Package cli implements the durable command: a local durable execution
// server and the client commands that drive it through the aws-sdk-go-v2
// Lambda client.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// DefaultEndpoint is where the client commands look for the server unless
// told otherwise by -endpoint or the DURABLE_ENDPOINT variable.
const DefaultEndpoint = "http://127.0.0.1:9014"

// EndpointEnv names the environment variable that sets the default endpoint.
const EndpointEnv = "DURABLE_ENDPOINT"

// App runs durable commands. Its zero value is not usable: fill Stdout and
// Stderr (Getenv may be nil).
type App struct {
	// Stdout receives command output, Stderr diagnostics and errors.
	Stdout, Stderr io.Writer
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// ready, when set, is handed the server that `serve` started (tests use
	// it to learn the port of 127.0.0.1:0 and to wait for executions).
	ready func(*server)
}

// command is one subcommand.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(a *App, ctx context.Context, args []string) error
	flags   func(a *App) *flag.FlagSet // for the usage text; nil: no flags
	details string                     // more usage text, after the summary
}

func commands() []command {
	return []command{{
		name:    "serve",
		args:    "[-addr 127.0.0.1:9014] [-db path] [-skip-time] [-fn NAME=PATH]... [-example=false]",
		summary: "run the local durable execution service with the example workflows and your function executables",
		run:     (*App).serve,
		flags:   flagsOf(serveFlags),
		details: `
Registers the example workflows (see 'durable list') as Lambda functions and
serves the Lambda API on a loopback address until interrupted. With -db the
executions survive a restart: stop the server mid-workflow, start it again on
the same file, and the workflow resumes.

-fn NAME=PATH registers your own function: PATH is its Lambda executable (the
main that calls durable.Start, built with go build), run behind the Lambda
Runtime API with Lambda's environment and its SDK pointed at this server.`,
	}, {
		name:    "start",
		args:    "<function> [-name name] [-input JSON] [-wait]",
		summary: "start a durable execution",
		run:     (*App).start,
		flags:   flagsOf(startFlags),
	}, {
		name:    "list",
		args:    "[function] [-status S]",
		summary: "list executions (of the example functions the server runs by default)",
		run:     (*App).list,
		flags:   flagsOf(listFlags),
	}, {
		name:    "show",
		args:    "<execution-arn> [-format text|mermaid|events]",
		summary: "show an execution's status, result and timeline",
		run:     (*App).show,
		flags:   flagsOf(showFlags),
	}, {
		name:    "export",
		args:    "<execution-arn> > recording.json",
		summary: "print an execution's operations as a recording to replay in tests",
		run:     (*App).export,
		flags:   flagsOf(exportFlags),
		details: `
Writes the execution's status, outcome and operations (with their payloads,
rebuilt from its history) as JSON. durabletest.ReplayFile replays the file
against the current code without calling any service: keep such files next
to a workflow's tests to learn before deploying whether a change breaks
executions in flight (docs/versioning.md).`,
	}, {
		name:    "callback",
		args:    "succeed|fail|heartbeat <callback-id> [payload]",
		summary: "answer a callback",
		run:     (*App).callback,
		flags:   flagsOf(callbackFlags),
		details: `
  succeed <id> [result]    the result is sent as is (usually JSON; may be empty)
  fail <id> [message]      -type and -data complete the error object
  heartbeat <id>           keeps a callback with a heartbeat timeout alive
The id is shown by 'durable show <execution-arn>' while the execution waits.`,
	}, {
		name:    "stop",
		args:    "<execution-arn> [-type T] [-message M]",
		summary: "stop a running execution",
		run:     (*App).stop,
		flags:   flagsOf(stopFlags),
	}, {
		name:    "demo",
		summary: "run the order workflow demo on an embedded service",
		run:     (*App).demo,
		details: `
Runs the order workflow (steps, a retried step, a child context, an hour-long
wait and a callback answered automatically) on an embedded service with a
virtual clock, then prints its result and timeline. Same as
'go run ./examples/demo' in the SDK's repository.`,
	}}
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string { return e.msg }

// errHelp asks for the usage text (exit status 0).
var errHelp = flag.ErrHelp

// Run runs the command line args (without the program name) and returns the
// exit status: 0 on success, 1 when the command failed, 2 on bad usage.
// Errors are reported on one line of Stderr.
func (a *App) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.usage(a.Stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if c, ok := lookup(rest[0]); ok {
				a.commandUsage(a.Stdout, c)
				return 0
			}
			return a.fail(&usageError{msg: fmt.Sprintf("unknown command %q", rest[0])})
		}
		a.usage(a.Stdout)
		return 0
	}
	c, ok := lookup(name)
	if !ok {
		return a.fail(&usageError{msg: fmt.Sprintf("unknown command %q", name)})
	}
	err := c.run(a, ctx, rest)
	if errors.Is(err, errHelp) {
		a.commandUsage(a.Stdout, c)
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) && ue.cmd == "" {
		ue.cmd = c.name
	}
	return a.fail(err)
}

func (a *App) fail(err error) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		hint := "durable help"
		if ue.cmd != "" {
			hint += " " + ue.cmd
		}
		fmt.Fprintf(a.Stderr, "durable: %s (see '%s')\n", oneLine(ue.msg), hint)
		return 2
	}
	fmt.Fprintf(a.Stderr, "durable: %s\n", oneLine(err.Error()))
	return 1
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func (a *App) usage(w io.Writer) {
	fmt.Fprint(w, `durable runs AWS Lambda durable functions locally.

Usage:
  durable <command> [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
The client commands talk to the server at -endpoint (default $%s, else %s)
with the aws-sdk-go-v2 Lambda client. Run 'durable help <command>' for details.
`, EndpointEnv, DefaultEndpoint)
}

func (a *App) commandUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", strings.TrimSpace("durable "+c.name+" "+c.args), upperFirst(c.summary))
	if c.details != "" {
		fmt.Fprintln(w, c.details)
	}
	if c.flags == nil {
		return
	}
	fs := c.flags(a)
	var hasFlags bool
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// flagsOf adapts a command's flag constructor to command.flags.
func flagsOf[T any](f func(*App) (*flag.FlagSet, T)) func(*App) *flag.FlagSet {
	return func(a *App) *flag.FlagSet {
		fs, _ := f(a)
		return fs
	}
}

func (a *App) getenv(k string) string {
	if a.Getenv != nil {
		return a.Getenv(k)
	}
	return os.Getenv(k)
}

// parse parses flags and positional arguments in any order (the standard
// flag package stops at the first positional one) and returns the
// positional ones. "--" ends the flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// wantArgs checks the number of positional arguments.
// oneArg parses args for a command that takes exactly one positional
// argument (what names it in the usage error) and returns it.
func oneArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if err := wantArgs(pos, 1, 1, what); err != nil {
		return "", err
	}
	return pos[0], nil
}

func wantArgs(pos []string, min, max int, what string) error {
	switch {
	case len(pos) < min:
		return &usageError{msg: "missing " + what}
	case max >= 0 && len(pos) > max:
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", pos[max])}
	}
	return nil
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
