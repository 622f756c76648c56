package jsonenc

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// The plain decoder: a fast path of Unmarshal for "plain" types (booleans,
// strings, numbers, and pointers, slices and structs of plain types, none
// with a custom unmarshaler) and plain input (no escapes in strings, object
// keys spelled exactly as the fields' names). That is what a step's result
// usually is. It answers only when it decodes the whole input the way
// encoding/json would; on anything else (a type mismatch, a null where it
// matters, an unknown key, an escape, malformed input) it gives up and
// Unmarshal starts over with encoding/json's own decoder.

// plan says how to decode into one type; nil for a type that is not plain.
type plan struct {
	kind   reflect.Kind
	elem   *plan        // pointer and slice
	typ    reflect.Type // the type
	fields []plainField // struct
}

// plainField is a struct field and the JSON key that names it.
type plainField struct {
	key   string
	index int
	plan  *plan
}

// plans caches planOf's answers (a *plan, nil for a type that is not
// plain) by reflect.Type.
var plans sync.Map

func planOf(t reflect.Type) *plan {
	// A workflow's results are mostly of one type: the last plain type's
	// plan first.
	if last := lastPlan.Load(); last != nil && last.typ == t {
		return last
	}
	var p *plan
	if cached, ok := plans.Load(t); ok {
		p = cached.(*plan)
	} else {
		p = buildPlan(t, map[reflect.Type]bool{})
		plans.Store(t, p)
	}
	if p != nil {
		lastPlan.Store(p)
	}
	return p
}

// lastPlan is the plan planOf returned last.
var lastPlan atomic.Pointer[plan]

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
)

// buildPlan builds t's plan; visiting holds the types being built (a
// recursive type is not plain, to keep this simple).
func buildPlan(t reflect.Type, visiting map[reflect.Type]bool) *plan {
	if visiting[t] || t == numberType {
		return nil // json.Number takes numbers, and checks its strings
	}
	for _, u := range []reflect.Type{t, reflect.PointerTo(t)} {
		if u.Implements(unmarshalerType) || u.Implements(textUnmarshalerType) {
			return nil
		}
	}
	visiting[t] = true
	defer delete(visiting, t)
	p := &plan{kind: t.Kind(), typ: t}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	case reflect.Pointer:
		if p.elem = buildPlan(t.Elem(), visiting); p.elem == nil {
			return nil
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 in JSON
		}
		if p.elem = buildPlan(t.Elem(), visiting); p.elem == nil {
			return nil
		}
	case reflect.Struct:
		seen := map[string]bool{}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				return nil // embedded fields: encoding/json's promotion rules
			}
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "string") {
				return nil
			}
			if name == "" {
				name = f.Name
			} else if !validTag(name) {
				return nil
			}
			if seen[name] {
				return nil // conflicting names: encoding/json drops both
			}
			seen[name] = true
			fp := buildPlan(f.Type, visiting)
			if fp == nil {
				return nil
			}
			p.fields = append(p.fields, plainField{key: name, index: i, plan: fp})
		}
	default:
		return nil
	}
	return p
}

// validTag is encoding/json's rule for a usable name in a json tag.
func validTag(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// decodePlain decodes data into the zero value v points to, with p (v's
// element's plan). It reports false, leaving v's element zero, when the
// plain decoder cannot answer.
func decodePlain(data string, v reflect.Value, p *plan) bool {
	d := plainDecoder{data: data}
	if d.value(v.Elem(), p) && skipSpace(data, d.pos) == len(data) {
		return true
	}
	v.Elem().SetZero()
	return false
}

// plainDecoder reads plain JSON from data; each method reports false when
// the input is not plain or not what the type takes.
type plainDecoder struct {
	data string
	pos  int
}

func (d *plainDecoder) value(v reflect.Value, p *plan) bool {
	d.pos = skipSpace(d.data, d.pos)
	if d.pos == len(d.data) {
		return false
	}
	if d.data[d.pos] == 'n' {
		if !d.literal("null") {
			return false
		}
		// encoding/json sets pointers and slices to nil and leaves other
		// values alone.
		if p.kind == reflect.Pointer || p.kind == reflect.Slice {
			v.SetZero()
		}
		return true
	}
	switch p.kind {
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
			v.SetBool(false)
		default:
			return false
		}
	case reflect.String:
		s, ok := d.str()
		if !ok {
			return false
		}
		v.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := parseInt(d.number())
		if err != nil || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(d.number(), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		num := d.number()
		if num == "" {
			return false
		}
		f, err := strconv.ParseFloat(num, v.Type().Bits())
		if err != nil || v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(v.Elem(), p.elem)
	case reflect.Slice:
		return d.slice(v, p)
	case reflect.Struct:
		return d.object(v, p)
	default:
		return false
	}
	return true
}

// object decodes a JSON object into struct v, as encoding/json does when
// every key is a field's exact name.
func (d *plainDecoder) object(v reflect.Value, p *plan) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		key, ok := d.str()
		if !ok || !d.consume(':') {
			return false
		}
		var f *plainField
		for i := range p.fields {
			if p.fields[i].key == key {
				f = &p.fields[i]
				break
			}
		}
		if f == nil || !d.value(v.Field(f.index), f.plan) {
			return false // an unknown key or one matched by case folding
		}
		if d.consume('}') {
			return true
		}
		if !d.consume(',') {
			return false
		}
	}
}

// slice decodes a JSON array into slice v, growing and shrinking it as
// encoding/json does.
func (d *plainDecoder) slice(v reflect.Value, p *plan) bool {
	if !d.consume('[') {
		return false
	}
	i := 0
	if !d.consume(']') {
		for ; ; i++ {
			if i >= v.Cap() {
				v.Grow(1)
			}
			if i >= v.Len() {
				v.SetLen(i + 1)
			}
			if !d.value(v.Index(i), p.elem) {
				return false
			}
			if d.consume(']') {
				i++
				break
			}
			if !d.consume(',') {
				return false
			}
		}
	}
	if i < v.Len() {
		v.SetLen(i)
	}
	if i == 0 {
		v.Set(reflect.MakeSlice(p.typ, 0, 0))
	}
	return true
}

// consume skips whitespace and then c, if c is next.
func (d *plainDecoder) consume(c byte) bool {
	d.pos = skipSpace(d.data, d.pos)
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// literal consumes lit if it is next.
func (d *plainDecoder) literal(lit string) bool {
	if strings.HasPrefix(d.data[d.pos:], lit) {
		d.pos += len(lit)
		return true
	}
	return false
}

// str reads a string without escapes and with valid UTF-8 (what
// encoding/json returns unchanged), as a substring of data.
func (d *plainDecoder) str() (string, bool) {
	d.pos = skipSpace(d.data, d.pos)
	if d.pos == len(d.data) || d.data[d.pos] != '"' {
		return "", false
	}
	start := d.pos + 1
	ascii := true
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			s := d.data[start:i]
			if !ascii && !utf8.ValidString(s) {
				return "", false
			}
			d.pos = i + 1
			return s, true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// number reads a number by JSON's grammar; "" if there is none.
func (d *plainDecoder) number() string {
	if c := d.data[d.pos]; c != '-' && (c < '0' || c > '9') {
		return "" // not a number (and not a literal, which scalarEnd takes)
	}
	end := scalarEnd(d.data, d.pos)
	if end < 0 {
		return ""
	}
	num := d.data[d.pos:end]
	d.pos = end
	return num
}

// parseInt is strconv.ParseInt(num, 10, 64), with the digits of a short
// integer (which cannot overflow) added up directly.
func parseInt(num string) (int64, error) {
	digits := strings.TrimPrefix(num, "-")
	if len(digits) == 0 || len(digits) > 18 {
		return strconv.ParseInt(num, 10, 64)
	}
	var n int64
	for i := range len(digits) {
		c := digits[i]
		if c < '0' || c > '9' {
			return strconv.ParseInt(num, 10, 64)
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) < len(num) {
		n = -n
	}
	return n, nil
}
