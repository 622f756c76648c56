package spec

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxGenStr is the largest n accepted in ${GEN_STR:n}.
const MaxGenStr = 4096

// genAlphabet is what ${GEN_STR:n} draws from: letters and digits, valid in
// operation and callback names.
const genAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

var (
	varNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	exprPattern    = regexp.MustCompile(`\$\{([^}]*)\}`)
)

// checkExpr validates a variable expression: text with ${GEN_STR:n} and
// references to the variables in known.
func checkExpr(expr string, known map[string]string) error {
	_, err := expand(expr, known, nil)
	return err
}

// expand evaluates a variable expression. With a nil rng it only validates.
func expand(expr string, known map[string]string, rng *rand.Rand) (string, error) {
	var err error
	out := exprPattern.ReplaceAllStringFunc(expr, func(ref string) string {
		inner := ref[2 : len(ref)-1]
		if n, ok := strings.CutPrefix(inner, "GEN_STR:"); ok {
			size, convErr := strconv.Atoi(n)
			if convErr != nil || size < 1 || size > MaxGenStr {
				err = errors.Join(err, fmt.Errorf("%s: want ${GEN_STR:n} with n from 1 to %d", ref, MaxGenStr))
				return ref
			}
			return genStr(size, rng)
		}
		v, ok := known[inner]
		if !ok {
			err = errors.Join(err, fmt.Errorf("%s: not a variable defined earlier in Variables", ref))
			return ref
		}
		return v
	})
	return out, err
}

// genStr returns n characters drawn from genAlphabet (a placeholder when rng is nil).
func genStr(n int, rng *rand.Rand) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
		if rng != nil {
			b[i] = genAlphabet[rng.IntN(len(genAlphabet))]
		}
	}
	return string(b)
}

// Resolve returns a copy of r with its Variables generated and substituted.
//
// Every ${NAME} that names a variable is replaced, in every string value of
// the file (inside regular expressions the value is escaped). The generated
// strings depend only on seed and the requirement's suite and id, so a run is
// reproducible from its seed and independent of the order requirements run in.
// Other placeholders (${ID1}, ...) are left for the history matcher.
func (r *Requirement) Resolve(seed uint64) (*Requirement, error) {
	h := fnv.New64a()
	h.Write([]byte(r.Suite + "/" + r.ID))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))

	values := make(map[string]string, len(r.Variables))
	resolved := make([]Variable, 0, len(r.Variables))
	for _, v := range r.Variables {
		val, err := expand(v.Value, values, rng)
		if err != nil {
			return nil, &Error{File: r.Path, Key: "Variables." + v.Name, Err: err}
		}
		values[v.Name] = val
		resolved = append(resolved, Variable{Name: v.Name, Value: val})
	}

	root := cloneNode(r.root, map[*yaml.Node]*yaml.Node{})
	lookup := func(name string) (string, bool) {
		v, ok := values[name]
		return v, ok
	}
	if doc := resolveAlias(root); doc != nil && doc.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(doc.Content); i += 2 {
			switch doc.Content[i].Value {
			case "Variables":
			case "ExpectedLogs":
				substituteTree(doc.Content[i+1], lookup, true)
			default:
				substituteTree(doc.Content[i+1], lookup, false)
			}
		}
	}
	out, err := build(root, r.Path, r.Suite, r.ID)
	if err != nil {
		return nil, err
	}
	out.Variables = resolved
	return out, nil
}

// substituteTree replaces variable references in every string scalar under n.
// In logs mode, a "/regex/" string gets escaped values, as does "${/regex/}" anywhere.
func substituteTree(n *yaml.Node, lookup func(string) (string, bool), logs bool) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		_, isHistRegex := PlaceholderRegex(n.Value)
		_, isLogRegex := LogRegex(n.Value)
		n.Value = Substitute(n.Value, lookup, isHistRegex || (logs && isLogRegex))
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 1; i < len(n.Content); i += 2 { // values only, keys stay
			substituteTree(n.Content[i], lookup, logs)
		}
		return
	}
	for _, c := range n.Content {
		substituteTree(c, lookup, logs)
	}
}

// cloneNode deep-copies a node tree, keeping aliases pointing into the copy.
func cloneNode(n *yaml.Node, seen map[*yaml.Node]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := seen[n]; ok {
		return c
	}
	c := *n
	seen[n] = &c
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k, seen)
	}
	c.Alias = cloneNode(n.Alias, seen)
	return &c
}
