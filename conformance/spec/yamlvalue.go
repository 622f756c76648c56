package spec

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// resolveAlias follows alias and document nodes to the node they stand for.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return nil
}

// nodeError is an error located at a node, before the file name is known.
type nodeError struct {
	line int
	key  string
	err  error
}

func (e *nodeError) Error() string { return e.key + ": " + e.err.Error() }

func errAt(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &nodeError{line: line, key: key, err: fmt.Errorf(format, args...)}
}

// scalarValue converts a scalar node into string, int64, uint64, float64, bool or nil.
func scalarValue(n *yaml.Node, key string) (any, error) {
	switch n.ShortTag() {
	case "!!str", "!!timestamp", "!!binary":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, errAt(n, key, "bad boolean %q", n.Value)
		}
		return b, nil
	case "!!int":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, errAt(n, key, "bad integer %q", n.Value)
		}
		switch x := v.(type) {
		case int:
			return int64(x), nil
		case int64, uint64, float64:
			return x, nil
		}
		return nil, errAt(n, key, "bad integer %q", n.Value)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, errAt(n, key, "bad number %q", n.Value)
		}
		return f, nil
	}
	return nil, errAt(n, key, "unsupported YAML tag %s", n.Tag)
}

// value converts a YAML node into map[string]any, []any or a scalar value.
func value(n *yaml.Node, key string) (any, error) {
	n = resolveAlias(n)
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return scalarValue(n, key)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := value(c, fmt.Sprintf("%s[%d]", key, i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		err := eachPair(n, key, func(k string, _, v *yaml.Node) error {
			val, err := value(v, joinKey(key, k))
			if err != nil {
				return err
			}
			out[k] = val
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, errAt(n, key, "unsupported YAML node")
}

// eachPair calls fn for every key/value pair of a mapping node, in file order,
// rejecting non-scalar, duplicate and merge keys.
func eachPair(n *yaml.Node, key string, fn func(k string, kn, vn *yaml.Node) error) error {
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := resolveAlias(n.Content[i])
		if kn == nil || kn.Kind != yaml.ScalarNode {
			return errAt(n.Content[i], key, "mapping keys must be scalars")
		}
		if kn.ShortTag() == "!!merge" {
			return errAt(kn, key, "merge keys (<<) are not supported")
		}
		if seen[kn.Value] {
			return errAt(kn, joinKey(key, kn.Value), "duplicate key")
		}
		seen[kn.Value] = true
		if err := fn(kn.Value, kn, n.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func joinKey(parent, k string) string {
	if parent == "" {
		return k
	}
	return parent + "." + k
}

// pyJSON encodes a YAML node as JSON the way Python's json.dumps does with its
// default settings: mapping order kept, ", " and ": " separators, non-ASCII
// escaped as \uXXXX, floats written as repr() writes them.
func pyJSON(n *yaml.Node, key string) ([]byte, error) {
	var b strings.Builder
	if err := writePyJSON(&b, n, key); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func writePyJSON(b *strings.Builder, n *yaml.Node, key string) error {
	n = resolveAlias(n)
	if n == nil {
		b.WriteString("null")
		return nil
	}
	switch n.Kind {
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writePyJSON(b, c, fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case yaml.MappingNode:
		b.WriteByte('{')
		first := true
		err := eachPair(n, key, func(k string, kn, vn *yaml.Node) error {
			if !first {
				b.WriteString(", ")
			}
			first = false
			kv, err := scalarValue(kn, key)
			if err != nil {
				return err
			}
			writePyString(b, pyKey(kv))
			b.WriteString(": ")
			return writePyJSON(b, vn, joinKey(key, k))
		})
		if err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	case yaml.ScalarNode:
		v, err := scalarValue(n, key)
		if err != nil {
			return err
		}
		return writePyScalar(b, v)
	}
	return errAt(n, key, "unsupported YAML node")
}

// pyKey is the string json.dumps uses for a dictionary key of the given value.
func pyKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return pyFloat(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func writePyScalar(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writePyString(b, x)
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case float64:
		b.WriteString(pyFloat(x))
	default:
		return errors.New("unsupported scalar")
	}
	return nil
}

// pyFloat writes f as Python's repr does (json.dumps uses repr for floats).
func pyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX, exponent of at least two digits
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// writePyString writes s as a JSON string with Python's default (ensure_ascii)
// escaping: everything outside printable ASCII becomes \uXXXX (UTF-16).
func writePyString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				r -= 0x10000
				writeU(b, 0xd800+r>>10)
				writeU(b, 0xdc00+r&0x3ff)
				continue
			}
			writeU(b, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func writeU(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	b.WriteByte(hex[r>>12&0xf])
	b.WriteByte(hex[r>>8&0xf])
	b.WriteByte(hex[r>>4&0xf])
	b.WriteByte(hex[r&0xf])
}
