package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File names one requirement file found under a testdata directory.
type File struct {
	Suite string // folder name
	ID    string // file name without .yaml
	Path  string
}

// Discover lists every <dir>/<suite>/<id>.yaml, ordered by suite and then by
// id with numeric parts compared as numbers (1-2 before 1-10).
func Discover(dir string) ([]File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		files = append(files, File{
			Suite: filepath.Base(filepath.Dir(p)),
			ID:    strings.TrimSuffix(filepath.Base(p), ".yaml"),
			Path:  p,
		})
	}
	slices.SortFunc(files, func(a, b File) int {
		if c := strings.Compare(a.Suite, b.Suite); c != 0 {
			return c
		}
		return CompareIDs(a.ID, b.ID)
	})
	return files, nil
}

// CompareIDs orders requirement ids such as "1-2" and "1-10" by their numeric parts.
func CompareIDs(a, b string) int {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, errA := strconv.Atoi(pa[i])
		nb, errB := strconv.Atoi(pb[i])
		if errA == nil && errB == nil {
			if na != nb {
				return na - nb
			}
			continue
		}
		if c := strings.Compare(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return len(pa) - len(pb)
}

// Load reads and validates one requirement file.
func (f File) Load() (*Requirement, error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, &Error{File: f.Path, Err: err}
	}
	return Parse(data, f)
}

// Parse validates the YAML text of the requirement file f.
func Parse(data []byte, f File) (*Requirement, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: f.Path, Err: errors.New("empty file")}
		}
		return nil, &Error{File: f.Path, Err: fmt.Errorf("not valid YAML: %w", err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{File: f.Path, Line: extra.Line, Err: errors.New("want exactly one YAML document")}
	}
	return build(&root, f.Path, f.Suite, f.ID)
}

// LoadDir discovers and loads every requirement under dir. It returns the
// requirements that loaded and, joined, the errors of those that did not.
func LoadDir(dir string) ([]*Requirement, error) {
	files, err := Discover(dir)
	if err != nil {
		return nil, err
	}
	var reqs []*Requirement
	var errs []error
	for _, f := range files {
		r, err := f.Load()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reqs = append(reqs, r)
	}
	return reqs, errors.Join(errs...)
}
