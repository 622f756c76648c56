package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/runtimeapi"
)

// functionSpec is a user's function executable, from `serve -fn NAME=PATH`.
type functionSpec struct {
	name, path string
}

// functionFlag collects repeated -fn NAME=PATH flags.
type functionFlag []functionSpec

func (f *functionFlag) String() string {
	parts := make([]string, len(*f))
	for i, s := range *f {
		parts[i] = s.name + "=" + s.path
	}
	return strings.Join(parts, ",")
}

func (f *functionFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" || path == "" {
		return fmt.Errorf("%q: want NAME=PATH, e.g. orders=./bootstrap", v)
	}
	for _, s := range *f {
		if s.name == name {
			return fmt.Errorf("function %s given twice", name)
		}
	}
	*f = append(*f, functionSpec{name: name, path: path})
	return nil
}

// registerExecutables registers each executable with the service, run
// behind a Lambda Runtime API and checkpointing through the server's HTTP
// front, as it would on Lambda. Their output goes to out.
func (s *server) registerExecutables(specs []functionSpec, out io.Writer) error {
	for _, spec := range specs {
		fn, err := runtimeapi.New(runtimeapi.Config{
			Name:           spec.name,
			Path:           spec.path,
			LambdaEndpoint: s.url(),
			Stdout:         out,
			Stderr:         out,
		})
		if err != nil {
			return err
		}
		s.executables = append(s.executables, fn)
		if err := s.svc.RegisterFunction(spec.name, fn, local.WithoutContextClient()); err != nil {
			return fmt.Errorf("registering %s: %w", spec.name, err)
		}
	}
	return nil
}

// functionNames lists what the server runs: the example workflows (unless
// left out) and the user's executables.
func functionNames(withExamples bool, specs []functionSpec) []string {
	var names []string
	if withExamples {
		for _, ex := range examples() {
			names = append(names, ex.name)
		}
	}
	for _, s := range specs {
		names = append(names, s.name)
	}
	return names
}
