package jsonenc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// record is a destination with the shapes whose decoding can fail half
// way: nested structs, slices, maps, pointers and an Unmarshaler.
type record struct {
	I     int               `json:"i"`
	OK    bool              `json:"ok"`
	S     string            `json:"s"`
	List  []int             `json:"list"`
	Map   map[string]string `json:"map"`
	Ptr   *record           `json:"ptr"`
	Hook  *hook             `json:"hook"`
	Float float64           `json:"f"`
}

// hook fails to decode "bad" (with a *json.SyntaxError of its own, the
// error type Unmarshal uses for malformed input) and counts its calls.
type hook struct{ Calls int }

func (h *hook) UnmarshalJSON(b []byte) error {
	h.Calls++
	if string(b) == `"bad"` {
		return &json.SyntaxError{Offset: 99}
	}
	return nil
}

// unmarshalInputs mixes valid values, values with trailing data,
// truncated and malformed ones, type errors and Unmarshaler errors.
var unmarshalInputs = []string{
	`{"i":1,"ok":true}`, `{"i":2,"ok":true,"s":"a\"}b","list":[1,2,3],"map":{"k":"v"}}`,
	` {"i":3} `, "{\"i\":4}\n", `{"i":5}{"i":6}`, `{"i":7} x`, `{"i":8`, `{"i":9]`, `{"i":"ten"}`,
	`{"i":11,"list":[1,"x",3],"s":12}`, `{"ptr":{"i":12,"ptr":{"s":"deep"}}}`, `{"hook":"ok"}`,
	`{"hook":"bad","i":13}`, `{"s":"\ud800 lone"}`, "{\"s\":\"\xff\"}", `{"f":1e400}`, `{"I":14,"OK":true}`,
	`[1,2]`, `"str"`, `"str" "more"`, `12`, `12 `, `12 13`, `00`, `12x`, `-0.5e+3`, `1e`, `truex`, `-`, `1.`, `true`, `tru`, `null`, ``, ` `,
	`{"s":"unterminated}`, `{"s":"\"}"}`, `[{"i":1}]`, `{}`, `{"map":{"a":"b"},"list":[]}`,
}

// TestUnmarshalMatchesEncodingJSON decodes every input with Unmarshal and
// with encoding/json, into fresh and into pre-filled destinations, in a
// sequence that reuses pooled decoders, and wants the same values and the
// same errors (offsets included).
func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	prefilled := func() record {
		return record{I: -1, S: "old", List: []int{9, 9, 9, 9}, Map: map[string]string{"old": "x"}, Hook: &hook{}}
	}
	for round := range 3 {
		for _, in := range unmarshalInputs {
			for _, fresh := range []bool{true, false} {
				var got, want record
				if !fresh {
					got, want = prefilled(), prefilled()
				}
				gotErr := Unmarshal(in, &got)
				wantErr := json.Unmarshal([]byte(in), &want)
				if !reflect.DeepEqual(gotErr, wantErr) {
					t.Errorf("round %d, %q: error %#v, encoding/json %#v", round, in, gotErr, wantErr)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round %d, %q (fresh %v): decoded %+v, encoding/json %+v", round, in, fresh, got, want)
				}
			}
		}
	}
}

func TestUnmarshalScalarsAndAny(t *testing.T) {
	for _, in := range unmarshalInputs {
		var gotS, wantS string
		if g, w := Unmarshal(in, &gotS), json.Unmarshal([]byte(in), &wantS); !reflect.DeepEqual(g, w) || gotS != wantS {
			t.Errorf("%q into string: %q, %v; encoding/json %q, %v", in, gotS, g, wantS, w)
		}
		var gotA, wantA any
		if g, w := Unmarshal(in, &gotA), json.Unmarshal([]byte(in), &wantA); !reflect.DeepEqual(g, w) || !reflect.DeepEqual(gotA, wantA) {
			t.Errorf("%q into any: %v, %v; encoding/json %v, %v", in, gotA, g, wantA, w)
		}
	}
}

func TestUnmarshalInvalidTarget(t *testing.T) {
	var r record
	for _, target := range []any{nil, r, (*record)(nil)} {
		g, w := Unmarshal(`{"i":1}`, target), json.Unmarshal([]byte(`{"i":1}`), target)
		var invalid *json.InvalidUnmarshalError
		if !errors.As(g, &invalid) || !reflect.DeepEqual(g, w) {
			t.Errorf("target %T: %v, encoding/json %v", target, g, w)
		}
	}
}

func TestUnmarshalLargeValue(t *testing.T) {
	in := `{"s":"` + strings.Repeat("x", maxPooled) + `"}`
	var got record
	if err := Unmarshal(in, &got); err != nil || len(got.S) != maxPooled {
		t.Fatalf("len %d, %v", len(got.S), err)
	}
}

func TestSingleValue(t *testing.T) {
	for in, want := range map[string]bool{
		`{}`: true, ` [1,{"a":"]"}] `: true, `"a\\"`: true, `"a\"b"`: true, `12`: true, "true\n": true, `-1.5E-3`: true,
		`00`: false, `12x`: false, `1.`: false, `1e`: false,
		`{}{}`: false, `{} 1`: false, `"a" "b"`: false, `1 2`: false, ``: false, `  `: false,
		`{"a":"}`: false, `"abc`: false, `"abc\"`: false, `[[]`: false,
	} {
		if got := singleValue(in); got != want {
			t.Errorf("singleValue(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzUnmarshal checks Unmarshal against encoding/json on any input.
func FuzzUnmarshal(f *testing.F) {
	for _, in := range unmarshalInputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var got, want record
		gotErr, wantErr := Unmarshal(in, &got), json.Unmarshal([]byte(in), &want)
		if !reflect.DeepEqual(gotErr, wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, %v; encoding/json %+v, %v", in, got, gotErr, want, wantErr)
		}
	})
}

func BenchmarkUnmarshal(b *testing.B) {
	in := `{"i":42,"ok":true}`
	b.ReportAllocs()
	for b.Loop() {
		var r record
		if err := Unmarshal(in, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibUnmarshal(b *testing.B) {
	in := `{"i":42,"ok":true}`
	b.ReportAllocs()
	for b.Loop() {
		var r record
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			b.Fatal(err)
		}
	}
}
