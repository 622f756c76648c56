// Package jsonenc encodes payloads as JSON the way AWS's JavaScript and
// Python SDKs store them: <, > and & are written as themselves, and so are
// U+2028 and U+2029 (encoding/json escapes all five by default), so that a
// payload written by this SDK is byte for byte the one another SDK writes
// for the same value.
package jsonenc

import (
	"bytes"
	"encoding/json"
	"sync"
	"unicode/utf8"
)

// encoder is a reusable json.Encoder writing into its own buffer.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooled is the largest buffer kept for reuse; larger ones are dropped
// so that one huge payload does not pin its memory.
const maxPooled = 64 << 10

var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// encode encodes v into a pooled buffer and hands the bytes (without the
// encoder's trailing newline, line separators unescaped) to use, which
// must copy what it keeps.
func encode[T any](v any, use func([]byte) T) (T, error) {
	e := encoders.Get().(*encoder)
	defer func() {
		if e.buf.Cap() <= maxPooled {
			e.buf.Reset()
			encoders.Put(e)
		}
	}()
	if err := e.enc.Encode(v); err != nil {
		var zero T
		return zero, err
	}
	b := e.buf.Bytes()
	return use(unescapeLineSeparators(b[:len(b)-1])), nil
}

// Marshal is json.Marshal without HTML or line-separator escaping.
func Marshal(v any) ([]byte, error) {
	return encode(v, func(b []byte) []byte { return bytes.Clone(b) })
}

// String is Marshal returning a string (one allocation for the result).
func String(v any) (string, error) {
	return encode(v, func(b []byte) string { return string(b) })
}

// escapedSeparator starts encoding/json's escapes of U+2028 and U+2029.
var escapedSeparator = []byte(`\u202`)

// unescapeLineSeparators rewrites, in place, the \u2028 and \u2029 escapes
// that encoding/json writes inside strings as the characters themselves.
// Other escapes (an escaped backslash followed by "u2028" included) are
// left alone.
func unescapeLineSeparators(b []byte) []byte {
	if !bytes.Contains(b, escapedSeparator) {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 == len(b) {
			out = append(out, c)
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+5]) == "202" && (b[i+5] == '8' || b[i+5] == '9') {
			out = utf8.AppendRune(out, rune(0x2028+int(b[i+5]-'8')))
			i += 5
			continue
		}
		out = append(out, c, b[i+1]) // any other escape: keep both bytes
		i++
	}
	return out
}
