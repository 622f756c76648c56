package jsonenc

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// decoder is a reusable json.Decoder reading from its own strings.Reader.
// A json.Decoder keeps its buffer, scanner stack and error context across
// values, which json.Unmarshal allocates afresh on every call (and
// Unmarshal needs a []byte, so a string costs a copy as well).
type decoder struct {
	r   strings.Reader
	dec *json.Decoder
}

var decoders = sync.Pool{New: func() any {
	d := &decoder{}
	d.dec = json.NewDecoder(&d.r)
	return d
}}

// Unmarshal is json.Unmarshal(data, v) for data held in a string: the same
// result, the same errors, the same partial writes to v on a type error,
// with pooled decoder state instead of per-call allocations.
//
// When v points to a zero value of a plain type (see plan), the plain
// decoder tries first; if it gives up, v is zero again and the rest of
// Unmarshal runs as if it had not.
//
// The pooled json.Decoder answers only for what it answers exactly as
// Unmarshal: data holding one value and nothing after it but whitespace
// (singleValue; a json.Decoder would stop after the first value where
// Unmarshal refuses the whole input before writing anything). A syntax
// error found by the Decoder is found before anything is written to v;
// Unmarshal then decodes data again for its own error (offsets included).
// A type error or an Unmarshaler's error is the one Unmarshal returns: the
// Decoder decodes the same bytes, from offset 0, with the same code.
func Unmarshal(data string, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		if p := planOf(rv.Type().Elem()); p != nil && rv.Elem().IsZero() && decodePlain(data, rv, p) {
			return nil
		}
	}
	if len(data) > maxPooled || !singleValue(data) {
		return json.Unmarshal([]byte(data), v)
	}
	d := decoders.Get().(*decoder)
	start := d.dec.InputOffset()
	d.r.Reset(data)
	err := d.dec.Decode(v)
	read := d.dec.InputOffset() - start
	d.r.Reset("")
	switch {
	case err != nil && read == 0:
		// The Decoder refused the value before decoding it (a syntax
		// error or a truncated value), so v is untouched; the Decoder
		// keeps the error for good. Unmarshal reports it its own way.
		return json.Unmarshal([]byte(data), v)
	case err == nil && read == int64(len(data)):
		// All of data was read (trailing whitespace would otherwise start
		// the next value and shift its error offsets): reusable.
		decoders.Put(d)
	}
	return err
}

// singleValue reports whether data, if it is valid JSON, holds exactly one
// value followed by nothing but whitespace: it finds where the first value
// ends by matching brackets and skipping strings, or, for a number or a
// literal, at the first whitespace. It does not validate (the Decoder
// does): when the first value is valid, its end is the one found here.
func singleValue(data string) bool {
	i := skipSpace(data, 0)
	if i == len(data) {
		return false // empty: Unmarshal's error
	}
	switch data[i] {
	case '{', '[':
		depth := 0
	scan:
		for ; i < len(data); i++ {
			switch data[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					i++
					break scan
				}
			case '"':
				if i = stringEnd(data, i); i < 0 {
					return false
				}
				i-- // the loop's i++ moves past the closing quote
			}
		}
		if depth != 0 {
			return false
		}
	case '"':
		if i = stringEnd(data, i); i < 0 {
			return false
		}
	default:
		if i = scalarEnd(data, i); i < 0 {
			return false
		}
	}
	return skipSpace(data, i) == len(data)
}

// scalarEnd returns the index just past the number, true, false or null
// at i, or -1 if there is none (a json.Decoder ends such a value at the
// first byte that cannot continue it, which may be no whitespace: "00").
func scalarEnd(data string, i int) int {
	switch data[i] {
	case 't', 'f', 'n':
		for _, lit := range [...]string{"true", "false", "null"} {
			if strings.HasPrefix(data[i:], lit) {
				return i + len(lit)
			}
		}
		return -1
	}
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = digits(data, i)
	default:
		return -1
	}
	if i < len(data) && data[i] == '.' {
		if i = digits(data, i+1); data[i-1] == '.' {
			return -1
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		start := i
		if i = digits(data, i); i == start {
			return -1
		}
	}
	return i
}

// digits returns the index of the first byte at or after i that is not a
// decimal digit.
func digits(data string, i int) int {
	for i < len(data) && '0' <= data[i] && data[i] <= '9' {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts with the
// quote at i, or -1 if it is not closed.
func stringEnd(data string, i int) int {
	for i++; i < len(data); i++ {
		j := strings.IndexAny(data[i:], `"\`)
		if j < 0 {
			return -1
		}
		i += j
		if data[i] == '"' {
			return i + 1
		}
		i++ // skip the escaped byte
	}
	return -1
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(data string, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
