package rules

import "strings"

// External reports reads of the environment, files, processes and the
// network in workflow code.
var External = newRule(RuleExternal,
	"report environment variables, files, processes and network calls in workflow code\n\n"+
		"Their answers change over time, so a replay can take another path, and it repeats the side effect. "+
		"Do the call inside a durable.Step, whose result is recorded, or read configuration once at start-up "+
		"and pass it in.",
	checkExternal)

func checkExternal(c *checker) { c.checkSymbols(matchExternal) }

var (
	envMessage = message{
		what: "%s reads the environment",
		why:  "the value can change between invocations (a redeploy, a configuration change) and the replay takes another path",
		fix:  "read it once at start-up outside the workflow and pass the value in, or read it inside a durable.Step",
	}
	fileMessage = message{
		what: "%s uses the file system",
		why:  "the files can differ between invocations, which may run on other instances, and a replay repeats the access",
		fix:  "do it inside a durable.Step, whose result is recorded",
	}
	processMessage = message{
		what: "%s runs a process",
		why:  "its outcome can differ between invocations and a replay runs it again",
		fix:  "run it inside a durable.Step, whose result is recorded",
	}
	networkMessage = message{
		what: "%s calls the network",
		why:  "the answer changes over time and a replay calls again",
		fix:  "call it inside a durable.Step (or call another function with durable.Invoke), whose result is recorded",
	}
)

func matchExternal(sym symbol) (message, bool) {
	switch sym.pkg {
	case "os":
		if sym.recv != "" {
			return message{}, false
		}
		switch sym.name {
		case "Getenv", "LookupEnv", "Environ", "ExpandEnv":
			return envMessage, true
		case "ReadFile", "WriteFile", "Open", "OpenFile", "Create", "ReadDir", "Stat", "Lstat",
			"Remove", "RemoveAll", "Mkdir", "MkdirAll", "MkdirTemp", "CreateTemp", "Rename",
			"Truncate", "Chmod", "DirFS", "Hostname", "Getwd":
			return fileMessage, true
		}
	case "io/ioutil":
		switch sym.name {
		case "ReadFile", "WriteFile", "ReadDir", "TempFile", "TempDir":
			return fileMessage, true
		}
	case "os/exec":
		return processMessage, sym.recv == "" || sym.recv == "Cmd"
	case "net/http":
		switch sym.recv + "." + sym.name {
		case ".Get", ".Head", ".Post", ".PostForm",
			"Client.Do", "Client.Get", "Client.Head", "Client.Post", "Client.PostForm",
			"Transport.RoundTrip":
			return networkMessage, true
		}
	case "net":
		if (sym.recv == "" || sym.recv == "Dialer" || sym.recv == "Resolver") &&
			(strings.HasPrefix(sym.name, "Dial") || strings.HasPrefix(sym.name, "Listen") || strings.HasPrefix(sym.name, "Lookup")) {
			return networkMessage, true
		}
	case "database/sql":
		switch sym.recv {
		case "DB", "Tx", "Conn", "Stmt":
			for _, p := range []string{"Query", "Exec", "Prepare", "Begin", "Ping"} {
				if strings.HasPrefix(sym.name, p) {
					return networkMessage, true
				}
			}
		}
	}
	return message{}, false
}
