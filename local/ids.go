package local

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/slab"
)

// randomBytes returns n bytes from crypto/rand.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newToken returns an opaque checkpoint token.
func newToken() string { return base64.StdEncoding.EncodeToString(randomBytes(24)) }

// newCallbackId returns an unguessable callback id (192 random bits) in the
// URL-safe base64 alphabet, so that it can be pasted into a shell, a URL
// path or a query without escaping, and it never starts with '-' or '_', so
// that no command line reads it as a flag. (Fronts still percent-decode ids,
// since other services' ids may hold '+' and '/'.)
func newCallbackId() string {
	for {
		id := base64.RawURLEncoding.EncodeToString(randomBytes(24))
		if id[0] != '-' && id[0] != '_' {
			return id
		}
	}
}

// encodeMarker and decodeMarker make opaque paging markers from positions.
func encodeMarker(kind string, pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.Itoa(pos)))
}

func decodeMarker(kind, marker string) (int, error) {
	if marker == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil || len(raw) <= len(kind)+1 || string(raw[:len(kind)+1]) != kind+":" {
		return 0, invalidf("Marker %q is not a marker this operation returned", clip(marker))
	}
	n, err := strconv.Atoi(string(raw[len(kind)+1:]))
	if err != nil || n < 0 {
		return 0, invalidf("Marker %q is not a marker this operation returned", clip(marker))
	}
	return n, nil
}

// page validates a paged request's MaxItems and Marker (of the given kind)
// and returns the page size and the starting position.
func page(kind string, maxItems int, marker string) (n, pos int, err error) {
	if n, err = pageSize(maxItems); err != nil {
		return 0, 0, err
	}
	if pos, err = decodeMarker(kind, marker); err != nil {
		return 0, 0, err
	}
	return n, pos, nil
}

// pageSize validates MaxItems (0 means 100, at most 1000).
func pageSize(n int) (int, error) {
	switch {
	case n == 0:
		return 100, nil
	case n < 0 || n > 1000:
		return 0, invalidf("MaxItems %d: must be between 1 and 1000", n)
	}
	return n, nil
}

// functionArn builds an unqualified function ARN.
func (s *Service) functionArn(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.cfg.region, s.cfg.account, name)
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// cloneOp deep-copies an operation (error objects are never mutated in place
// and are shared).
func cloneOp(o *checkpoint.Operation) *checkpoint.Operation {
	c := copyOp(o)
	return &c
}

// copyOp is cloneOp returning the copy by value (no allocation for the
// Operation itself when it goes into a slice).
func copyOp(o *checkpoint.Operation) checkpoint.Operation {
	var c opCopier
	return c.copy(o)
}

// opCopier copies operations as copyOp does, with their details allocated
// from slabs: copying a page of n operations costs O(log n) allocations
// instead of one per operation.
type opCopier struct{ details slab.Details }

func (cp *opCopier) copy(o *checkpoint.Operation) checkpoint.Operation {
	c := *o
	if o.ExecutionDetails != nil {
		c.ExecutionDetails = copyInto(cp.details.Execution.New(), o.ExecutionDetails)
	}
	if o.ContextDetails != nil {
		c.ContextDetails = copyInto(cp.details.Context.New(), o.ContextDetails)
	}
	if o.StepDetails != nil {
		c.StepDetails = copyInto(cp.details.Step.New(), o.StepDetails)
	}
	if o.WaitDetails != nil {
		c.WaitDetails = copyInto(cp.details.Wait.New(), o.WaitDetails)
	}
	if o.CallbackDetails != nil {
		c.CallbackDetails = copyInto(cp.details.Callback.New(), o.CallbackDetails)
	}
	if o.ChainedInvokeDetails != nil {
		c.ChainedInvokeDetails = copyInto(cp.details.ChainedInvoke.New(), o.ChainedInvokeDetails)
	}
	return c
}

// copyInto copies *v into *dst and returns dst.
func copyInto[T any](dst, v *T) *T {
	*dst = *v
	return dst
}

// cloneError copies an ErrorObject.
func cloneError(e *checkpoint.ErrorObject) *checkpoint.ErrorObject {
	if e == nil {
		return nil
	}
	c := *e
	c.StackTrace = append([]string(nil), e.StackTrace...)
	return &c
}

// errorBytes is the stored size of an error object.
func errorBytes(e *checkpoint.ErrorObject) int {
	if e == nil {
		return 0
	}
	n := len(e.ErrorType) + len(e.ErrorMessage) + len(e.ErrorData)
	for _, l := range e.StackTrace {
		n += len(l)
	}
	return n
}

// secondsDur converts whole seconds to a Duration.
func secondsDur(n int32) time.Duration { return time.Duration(n) * time.Second }
