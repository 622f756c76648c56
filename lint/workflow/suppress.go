package workflow

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// IgnoreDirective starts a suppression comment:
//
//	//durablelint:ignore <rule>[,<rule>...] <reason>
//
// on the line of a finding or on the line above it. A second "//" ends the
// reason.
const IgnoreDirective = "//durablelint:ignore"

// Suppression is one //durablelint:ignore comment.
type Suppression struct {
	Pos    token.Pos
	Rules  []string
	Reason string
}

// Suppressions are the suppression comments of a package, by file and line.
type Suppressions struct {
	fset   *token.FileSet
	byLine map[string]map[int][]*Suppression
	// All lists every comment, well formed or not, in source order.
	All []*Suppression
}

func parseSuppressions(fset *token.FileSet, files []*ast.File) *Suppressions {
	s := &Suppressions{fset: fset, byLine: map[string]map[int][]*Suppression{}}
	for _, f := range files {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := strings.CutPrefix(c.Text, IgnoreDirective)
				if !ok || (text != "" && text[0] != ' ' && text[0] != '\t') {
					continue
				}
				sup := &Suppression{Pos: c.Pos()}
				text, _, _ = strings.Cut(text, "//") // a trailing comment is no reason
				fields := strings.Fields(text)
				if len(fields) > 0 {
					sup.Rules = strings.Split(fields[0], ",")
					sup.Reason = strings.Join(fields[1:], " ")
				}
				s.All = append(s.All, sup)
				p := fset.Position(c.Pos())
				if s.byLine[p.Filename] == nil {
					s.byLine[p.Filename] = map[int][]*Suppression{}
				}
				s.byLine[p.Filename][p.Line] = append(s.byLine[p.Filename][p.Line], sup)
			}
		}
	}
	return s
}

// Suppressed reports whether a finding of rule at pos is suppressed by a
// comment with a reason on its line or the line above. A comment without a
// reason suppresses nothing.
func (s *Suppressions) Suppressed(rule string, pos token.Pos) bool {
	p := s.fset.Position(pos)
	lines := s.byLine[p.Filename]
	for _, line := range []int{p.Line, p.Line - 1} {
		for _, sup := range lines[line] {
			if sup.Reason != "" && slices.Contains(sup.Rules, rule) {
				return true
			}
		}
	}
	return false
}
