package durable_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/build"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update", false, "rewrite the golden files in testdata (go test -run TestExportedAPI -update .)")

// TestExportedAPI lists the exported surface of every importable package of
// the repository (this module and the nested ones: otel, lint, conformance,
// cmd/durable; everything but internal/ and testdata) and compares it
// with testdata/api/<package>.txt, so that growing or changing the public
// API is a visible decision: rerun with -update and review the diff.
func TestExportedAPI(t *testing.T) {
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages: %v", len(pkgs), pkgs)
	}
	want := map[string]bool{}
	for _, dir := range pkgs {
		got, err := exportedAPI(dir)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "api", goldenName(dir))
		want[filepath.Base(golden)] = true
		if *updateAPI {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		prev, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("package %s has no API listing (%v); run go test -run TestExportedAPI -update . and review it", dir, err)
			continue
		}
		if string(prev) != got {
			t.Errorf("the exported API of package %s changed:\n%s\nIf intended, run go test -run TestExportedAPI -update . and review the diff.",
				dir, lineDiff(string(prev), got))
		}
	}
	// A listing without a package is stale.
	entries, _ := os.ReadDir(filepath.Join("testdata", "api"))
	for _, e := range entries {
		if !want[e.Name()] {
			if *updateAPI {
				_ = os.Remove(filepath.Join("testdata", "api", e.Name()))
				continue
			}
			t.Errorf("testdata/api/%s lists a package that no longer exists", e.Name())
		}
	}
}

// modulePackages returns the directories (relative, "." for the root) of
// the repository's importable Go packages, nested modules included;
// internal/ and testdata are skipped.
func modulePackages(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "internal" {
				return filepath.SkipDir
			}
		}
		if p, err := build.Default.ImportDir(path, 0); err == nil && len(p.GoFiles) > 0 {
			dirs = append(dirs, filepath.ToSlash(path))
		}
		return nil
	})
	return dirs, err
}

func goldenName(dir string) string {
	if dir == "." {
		return "durable.txt"
	}
	return strings.ReplaceAll(dir, "/", "_") + ".txt"
}

// exportedAPI renders the exported declarations of the package in dir (its
// non-test files for this platform), one per entry, sorted, without doc
// comments, bodies, unexported fields or unexported methods.
func exportedAPI(dir string) (string, error) {
	p, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	var entries []string
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		for _, decl := range f.Decls {
			entries = append(entries, declEntries(fset, decl)...)
		}
	}
	sort.Strings(entries)
	return "package " + p.Name + "\n\n" + strings.Join(entries, "\n"), nil
}

func declEntries(fset *token.FileSet, decl ast.Decl) []string {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if !d.Name.IsExported() || d.Recv != nil && !ast.IsExported(receiverName(d.Recv.List[0].Type)) {
			return nil
		}
		d.Doc, d.Body = nil, nil
		return []string{render(fset, d)}
	case *ast.GenDecl:
		var out []string
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				if !s.Name.IsExported() {
					continue
				}
				s.Doc, s.Comment = nil, nil
				stripUnexported(s.Type)
				out = append(out, "type "+render(fset, s))
			case *ast.ValueSpec:
				var names []*ast.Ident
				for _, n := range s.Names {
					if n.IsExported() {
						names = append(names, n)
					}
				}
				if len(names) == 0 {
					continue
				}
				vs := &ast.ValueSpec{Names: names, Type: s.Type}
				if d.Tok == token.CONST && len(names) == len(s.Names) {
					vs.Values = s.Values
				}
				out = append(out, d.Tok.String()+" "+render(fset, vs))
			}
		}
		return out
	}
	return nil
}

// stripUnexported removes unexported fields and interface methods (noting
// that some exist) and comments from a type expression.
func stripUnexported(expr ast.Expr) {
	var list *ast.FieldList
	switch t := expr.(type) {
	case *ast.StructType:
		list = t.Fields
	case *ast.InterfaceType:
		list = t.Methods
	default:
		return
	}
	kept := list.List[:0]
	hidden := false
	for _, f := range list.List {
		f.Doc, f.Comment = nil, nil
		var names []*ast.Ident
		for _, n := range f.Names {
			if n.IsExported() {
				names = append(names, n)
			}
		}
		switch {
		case len(f.Names) == 0 && ast.IsExported(receiverName(f.Type)): // embedded
			kept = append(kept, f)
		case len(names) > 0:
			f.Names = names
			stripUnexported(f.Type)
			kept = append(kept, f)
		default:
			hidden = true
		}
	}
	list.List = kept
	if hidden {
		list.List = append(list.List, &ast.Field{Type: ast.NewIdent("/* unexported */ _")})
	}
}

// receiverName returns the type name of a receiver or embedded field.
func receiverName(expr ast.Expr) string {
	for {
		switch t := expr.(type) {
		case *ast.StarExpr:
			expr = t.X
		case *ast.IndexExpr:
			expr = t.X
		case *ast.IndexListExpr:
			expr = t.X
		case *ast.SelectorExpr:
			return t.Sel.Name
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

func render(fset *token.FileSet, node any) string {
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&b, fset, node); err != nil {
		return "<" + err.Error() + ">"
	}
	return b.String()
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := count(want), count(got)
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if g[l] < w[l] {
			out = append(out, "- "+l)
			w[l]--
		}
	}
	w = count(want)
	for _, l := range strings.Split(got, "\n") {
		if w[l] < g[l] {
			out = append(out, "+ "+l)
			g[l]--
		}
	}
	return strings.Join(out, "\n")
}
