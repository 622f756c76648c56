package engine

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/slab"
)

// decodeEvent decodes an invocation event into ev (whose
// InitialExecutionState may hold a pre-sized state to decode into, as
// ParseEvent prepares it).
//
// It first tries eventScanner, a decoder specialised for the shapes the
// service sends: the keys of checkpoint.InvocationEvent and its nested
// types spelled exactly, strings, integers, booleans and epoch timestamps.
// The scanner validates as it goes and gives up on anything else (an
// unknown or differently cased key, null, a duplicated object, a lone
// surrogate, invalid UTF-8, a syntax error); then encoding/json decodes the
// whole payload again, into a fresh event, so it answers exactly as before,
// errors included. Whatever the scanner accepts, it decodes to what
// encoding/json would (FuzzEventScanner checks it).
func decodeEvent(payload []byte, ev *checkpoint.InvocationEvent) error {
	pre := ev.InitialExecutionState
	s := eventScanner{data: payload, pre: pre}
	if s.event(ev) {
		return nil
	}
	if pre != nil {
		// encoding/json decodes into the elements it finds without zeroing
		// them: clear what the scanner wrote.
		ops := pre.Operations[:cap(pre.Operations)]
		clear(ops)
		*pre = checkpoint.ExecutionState{Operations: ops[:0]}
	}
	*ev = checkpoint.InvocationEvent{InitialExecutionState: pre}
	return json.Unmarshal(payload, ev)
}

// eventScanner decodes one invocation event. Every method reports false
// when the input is not what it handles; the caller then falls back to
// encoding/json.
//
// It allocates per event, not per operation: every decoded string is a
// substring of a chunk of text holding many (texts), and the details
// objects come from slabs (package slab).
type eventScanner struct {
	data  []byte
	pos   int
	pre   *checkpoint.ExecutionState // the state to decode into, if any
	buf   []byte                     // scratch space for unescaping strings
	texts strings.Builder            // the current chunk of decoded strings

	details slab.Details
}

// minTextChunk is the size of the first chunk of decoded strings; each
// next one doubles, up to what is left of the payload (decoded strings are
// never longer than their JSON).
const minTextChunk = 4 << 10

// text returns raw as a string, a substring of the current chunk. A chunk
// is never written again where it was read, and a full one is left to the
// strings taken from it, so they stay valid.
func (s *eventScanner) text(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	if s.texts.Cap()-s.texts.Len() < len(raw) {
		size := max(min(2*s.texts.Cap(), len(s.data)-s.pos), minTextChunk, len(raw))
		s.texts = strings.Builder{}
		s.texts.Grow(size)
	}
	start := s.texts.Len()
	s.texts.Write(raw)
	return s.texts.String()[start:]
}

// event decodes the whole payload: one object and nothing after it.
func (s *eventScanner) event(ev *checkpoint.InvocationEvent) bool {
	if !s.open('{') {
		return false
	}
	for first := true; ; first = false {
		key, ok := s.key(first)
		if !ok {
			return false
		}
		if key == nil {
			break
		}
		switch string(key) {
		case "DurableExecutionArn":
			ok = s.str(&ev.DurableExecutionArn)
		case "CheckpointToken":
			ok = s.str(&ev.CheckpointToken)
		case "UpdatedOperationIds":
			ok = ev.UpdatedOperationIds == nil && s.strings(&ev.UpdatedOperationIds)
		case "InitialExecutionState":
			ok = s.state(ev)
		default:
			return false
		}
		if !ok {
			return false
		}
	}
	s.space()
	return s.pos == len(s.data)
}

// state decodes InitialExecutionState (at most once per event).
func (s *eventScanner) state(ev *checkpoint.InvocationEvent) bool {
	st := s.pre
	if st == nil {
		st = &checkpoint.ExecutionState{}
	}
	s.pre = nil
	if ev.InitialExecutionState != nil && ev.InitialExecutionState != st || !s.open('{') {
		return false
	}
	ev.InitialExecutionState = st
	seen := false
	for first := true; ; first = false {
		key, ok := s.key(first)
		if !ok {
			return false
		}
		if key == nil {
			return true
		}
		switch string(key) {
		case "Operations":
			ok = !seen && s.operations(st)
			seen = true
		case "NextMarker":
			ok = s.str(&st.NextMarker)
		default:
			return false
		}
		if !ok {
			return false
		}
	}
}

// operations decodes the Operations array, appending to st.Operations.
func (s *eventScanner) operations(st *checkpoint.ExecutionState) bool {
	if !s.open('[') {
		return false
	}
	ops := st.Operations[:0]
	for first := true; ; first = false {
		more, ok := s.element(first, ']')
		if !ok {
			return false
		}
		if !more {
			break
		}
		ops = append(ops, checkpoint.Operation{})
		if !s.operation(&ops[len(ops)-1]) {
			return false
		}
	}
	if len(ops) == 0 {
		ops = []checkpoint.Operation{} // as encoding/json: empty, not nil
	}
	st.Operations = ops
	return true
}

// operation decodes one checkpoint.Operation into the zero op.
func (s *eventScanner) operation(op *checkpoint.Operation) bool {
	if !s.open('{') {
		return false
	}
	for first := true; ; first = false {
		key, ok := s.key(first)
		if !ok {
			return false
		}
		if key == nil {
			return true
		}
		switch string(key) {
		case "Id":
			ok = s.str(&op.Id)
		case "ParentId":
			ok = s.str(&op.ParentId)
		case "Name":
			ok = s.str(&op.Name)
		case "Type":
			var v string
			ok = s.word(&v)
			op.Type = checkpoint.OperationType(v)
		case "SubType":
			ok = s.word(&op.SubType)
		case "Status":
			var v string
			ok = s.word(&v)
			op.Status = checkpoint.Status(v)
		case "StartTimestamp":
			ok = s.timestamp(&op.StartTimestamp)
		case "EndTimestamp":
			ok = s.timestamp(&op.EndTimestamp)
		case "ExecutionDetails":
			ok = op.ExecutionDetails == nil && s.executionDetails(&op.ExecutionDetails)
		case "ContextDetails":
			ok = op.ContextDetails == nil && s.contextDetails(&op.ContextDetails)
		case "StepDetails":
			ok = op.StepDetails == nil && s.stepDetails(&op.StepDetails)
		case "WaitDetails":
			ok = op.WaitDetails == nil && s.waitDetails(&op.WaitDetails)
		case "CallbackDetails":
			ok = op.CallbackDetails == nil && s.callbackDetails(&op.CallbackDetails)
		case "ChainedInvokeDetails":
			ok = op.ChainedInvokeDetails == nil && s.chainedInvokeDetails(&op.ChainedInvokeDetails)
		default:
			return false
		}
		if !ok {
			return false
		}
	}
}

func (s *eventScanner) executionDetails(out **checkpoint.ExecutionDetails) bool {
	d := s.details.Execution.New()
	*out = d
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "InputPayload":
			return s.str(&d.InputPayload)
		}
		return false
	})
}

func (s *eventScanner) contextDetails(out **checkpoint.ContextDetails) bool {
	d := s.details.Context.New()
	*out = d
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "ReplayChildren":
			return s.boolean(&d.ReplayChildren)
		}
		return s.outcome(key, &d.Result, &d.Error)
	})
}

func (s *eventScanner) stepDetails(out **checkpoint.StepDetails) bool {
	d := s.details.Step.New()
	*out = d
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "Attempt":
			return s.integer(&d.Attempt)
		case "NextAttemptTimestamp":
			return s.timestamp(&d.NextAttemptTimestamp)
		}
		return s.outcome(key, &d.Result, &d.Error)
	})
}

func (s *eventScanner) waitDetails(out **checkpoint.WaitDetails) bool {
	d := s.details.Wait.New()
	*out = d
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "ScheduledEndTimestamp":
			return s.timestamp(&d.ScheduledEndTimestamp)
		}
		return false
	})
}

func (s *eventScanner) callbackDetails(out **checkpoint.CallbackDetails) bool {
	d := s.details.Callback.New()
	*out = d
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "CallbackId":
			return s.str(&d.CallbackId)
		}
		return s.outcome(key, &d.Result, &d.Error)
	})
}

func (s *eventScanner) chainedInvokeDetails(out **checkpoint.ChainedInvokeDetails) bool {
	d := s.details.ChainedInvoke.New()
	*out = d
	return s.members(func(key []byte) bool { return s.outcome(key, &d.Result, &d.Error) })
}

// outcome decodes the Result and Error members that several details share.
func (s *eventScanner) outcome(key []byte, result *string, e **checkpoint.ErrorObject) bool {
	switch string(key) {
	case "Result":
		return s.str(result)
	case "Error":
		return *e == nil && s.errorObject(e)
	}
	return false
}

func (s *eventScanner) errorObject(out **checkpoint.ErrorObject) bool {
	e := s.details.Error.New()
	*out = e
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "ErrorType":
			return s.str(&e.ErrorType)
		case "ErrorMessage":
			return s.str(&e.ErrorMessage)
		case "ErrorData":
			return s.str(&e.ErrorData)
		case "StackTrace":
			return e.StackTrace == nil && s.strings(&e.StackTrace)
		}
		return false
	})
}

// members decodes an object whose values member decodes by key; member
// reports false for a key it does not know. (The details objects are small
// and not on every operation, so a closure is cheap enough here.)
func (s *eventScanner) members(member func(key []byte) bool) bool {
	if !s.open('{') {
		return false
	}
	for first := true; ; first = false {
		key, ok := s.key(first)
		if !ok {
			return false
		}
		if key == nil {
			return true
		}
		if !member(key) {
			return false
		}
	}
}

// space skips JSON whitespace.
func (s *eventScanner) space() {
	for s.pos < len(s.data) && s.data[s.pos] <= ' ' { // one test for the usual next byte
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// open consumes c (an opening bracket) after optional whitespace.
func (s *eventScanner) open(c byte) bool {
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// element moves to the next element of an array or object: after the
// opening bracket (first) or after an element. It reports whether there is
// one; the closing bracket is consumed when there is not.
func (s *eventScanner) element(first bool, closing byte) (more, ok bool) {
	s.space()
	if s.pos >= len(s.data) {
		return false, false
	}
	switch c := s.data[s.pos]; {
	case c == closing:
		s.pos++
		return false, true
	case first:
		return true, true
	case c == ',':
		s.pos++
		return true, true
	}
	return false, false
}

// key reads the next member's key and its colon; nil at the end of the
// object. The key is the bytes up to the next quote, unchecked: every
// caller compares it with the keys it knows (plain ASCII) and refuses any
// other, so a key with an escape, a control character or non-ASCII text is
// refused all the same.
func (s *eventScanner) key(first bool) ([]byte, bool) {
	more, ok := s.element(first, '}')
	if !ok || !more {
		return nil, ok
	}
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}
	start := s.pos + 1
	n := bytes.IndexByte(s.data[start:], '"')
	if n < 0 {
		return nil, false
	}
	s.pos = start + n + 1
	if !s.open(':') {
		return nil, false
	}
	return s.data[start : start+n], true
}

// strings decodes an array of strings (empty: a non-nil empty slice, as
// encoding/json).
func (s *eventScanner) strings(out *[]string) bool {
	if !s.open('[') {
		return false
	}
	list := []string{}
	for first := true; ; first = false {
		more, ok := s.element(first, ']')
		if !ok {
			return false
		}
		if !more {
			*out = list
			return true
		}
		var v string
		if !s.str(&v) {
			return false
		}
		list = append(list, v)
	}
}

// word decodes a string that is usually one of the wire model's constants,
// which it returns without allocating.
func (s *eventScanner) word(out *string) bool {
	raw, ok := s.rawString()
	if !ok {
		return s.str(out)
	}
	*out = constantWord(raw)
	if *out == "" {
		*out = s.text(raw)
	}
	return true
}

// constantWord returns the constant spelled raw ("" if none).
func constantWord(raw []byte) string {
	if len(raw) < len(constantWords) {
		for _, w := range constantWords[len(raw)] {
			if w == string(raw) {
				return w
			}
		}
	}
	return ""
}

// constantWords holds the operation types, statuses and subtypes, by
// length (a lookup compares a few strings of the right length, cheaper than
// hashing).
var constantWords = func() (byLen [32][]string) {
	for _, w := range []string{
		string(checkpoint.TypeExecution), string(checkpoint.TypeContext), string(checkpoint.TypeStep),
		string(checkpoint.TypeWait), string(checkpoint.TypeCallback), string(checkpoint.TypeChainedInvoke),
		string(checkpoint.StatusStarted), string(checkpoint.StatusPending), string(checkpoint.StatusReady),
		string(checkpoint.StatusSucceeded), string(checkpoint.StatusFailed), string(checkpoint.StatusCancelled),
		string(checkpoint.StatusTimedOut), string(checkpoint.StatusStopped),
		checkpoint.SubTypeStep, checkpoint.SubTypeWait, checkpoint.SubTypeCallback, checkpoint.SubTypeChainedInvoke,
		checkpoint.SubTypeRunInChildContext, checkpoint.SubTypeMap, checkpoint.SubTypeMapIteration,
		checkpoint.SubTypeParallel, checkpoint.SubTypeParallelBranch, checkpoint.SubTypeWaitForCallback,
		checkpoint.SubTypeWaitForCondition,
	} {
		byLen[len(w)] = append(byLen[len(w)], w)
	}
	return byLen
}()

// rawString reads a string without escapes and with only ASCII in it,
// returning its bytes; it reports false (and consumes nothing) otherwise.
func (s *eventScanner) rawString() ([]byte, bool) {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}
	start := s.pos + 1
	for i := start; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '"':
			s.pos = i + 1
			return s.data[start:i], true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// str decodes a JSON string.
func (s *eventScanner) str(out *string) bool {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return false
	}
	start := s.pos + 1
	wide := false // bytes beyond ASCII, to check as UTF-8
	for i := start; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '"':
			raw := s.data[start:i]
			if wide && !utf8.Valid(raw) {
				return false
			}
			*out = s.text(raw)
			s.pos = i + 1
			return true
		case c == '\\':
			return s.unescape(start, i, out)
		case c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			wide = true
		}
	}
	return false
}

// unescape decodes the string that starts at start and has its first
// backslash at i.
func (s *eventScanner) unescape(start, i int, out *string) bool {
	buf := append(s.buf[:0], s.data[start:i]...)
	d := s.data
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return false
			}
			*out = s.text(buf)
			s.pos = i + 1
			s.buf = buf
			return true
		case c < 0x20:
			return false
		case c != '\\':
			// Copy the run up to the next quote or backslash at once.
			j := i + 1
			for j < len(d) && d[j] != '"' && d[j] != '\\' && d[j] >= 0x20 {
				j++
			}
			buf = append(buf, d[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(d) {
			return false
		}
		switch e := d[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(d[i+2:])
			if !ok {
				return false
			}
			if utf16.IsSurrogate(r) {
				// Only a valid pair: encoding/json turns a lone half into
				// U+FFFD, which the fallback does.
				if len(d) < i+12 || d[i+6] != '\\' || d[i+7] != 'u' {
					return false
				}
				lo, ok := hex4(d[i+8:])
				if !ok {
					return false
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					return false
				}
				i += 6
			}
			buf = utf8.AppendRune(buf, r)
			i += 4
		default:
			return false
		}
		i += 2
	}
	return false
}

// hex4 decodes the four hexadecimal digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (s *eventScanner) number() ([]byte, bool) {
	s.space()
	d, start := s.data, s.pos
	i := start
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		i = digits(d, i)
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		j := digits(d, i+1)
		if j == i+1 {
			return nil, false
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			return nil, false
		}
		i = j
	}
	s.pos = i
	return d[start:i], true
}

// digits returns the index of the first byte at or after i that is not a
// decimal digit.
func digits(d []byte, i int) int {
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	return i
}

// integer decodes a JSON integer into an int; a fraction, an exponent or
// an overflow is left to encoding/json (which refuses them).
func (s *eventScanner) integer(out *int) bool {
	raw, ok := s.number()
	if !ok {
		return false
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return false
	}
	*out = n
	return true
}

// timestamp decodes a number with checkpoint.Timestamp's own rules; its
// RFC 3339 form and null are left to encoding/json.
func (s *eventScanner) timestamp(out *checkpoint.Timestamp) bool {
	raw, ok := s.number()
	return ok && out.UnmarshalJSON(raw) == nil
}

// boolean decodes true or false.
func (s *eventScanner) boolean(out *bool) bool {
	s.space()
	rest := s.data[s.pos:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		*out = true
		s.pos += 4
	case len(rest) >= 5 && string(rest[:5]) == "false":
		*out = false
		s.pos += 5
	default:
		return false
	}
	return true
}
