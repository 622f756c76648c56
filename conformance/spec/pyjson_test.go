package spec

import (
	"math"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestPyJSON(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{`abc`, `"abc"`},
		{`'42'`, `"42"`},
		{`42`, `42`},
		{`-7`, `-7`},
		{`1.0`, `1.0`},
		{`2.5`, `2.5`},
		{`123456.0`, `123456.0`},
		{`1e16`, `1e+16`},
		{`1.5e-5`, `1.5e-05`},
		{`0.0001`, `0.0001`},
		{`.inf`, `Infinity`},
		{`true`, `true`},
		{`null`, `null`},
		{`~`, `null`},
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`[a, 1, {k: v}]`, `["a", 1, {"k": "v"}]`},
		{"z: 1\na: [x, y]\nm: {q: null}", `{"z": 1, "a": ["x", "y"], "m": {"q": null}}`},
		{`{1: a, true: b}`, `{"1": "a", "true": "b"}`},
		{`"quote \" back \\ tab \t nl \n"`, `"quote \" back \\ tab \t nl \n"`},
		{`"é ü 日本"`, `"\u00e9 \u00fc \u65e5\u672c"`},
		{`"😀"`, `"\ud83d\ude00"`},
		{`"\x01\x7f"`, `"\u0001\u007f"`},
		{"a: &x [1]\nb: *x", `{"a": [1], "b": [1]}`},
	}
	for _, c := range cases {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(c.yaml), &n); err != nil {
			t.Fatalf("%s: %v", c.yaml, err)
		}
		got, err := pyJSON(&n, "Payload")
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("pyJSON(%s) = %s, want %s", c.yaml, got, c.want)
		}
	}
}

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", math.Copysign(0, -1): "-0.0", 0.1: "0.1", 1e15: "1000000000000000.0",
		1e-4: "0.0001", 1e-5: "1e-05", 1.25e100: "1.25e+100", math.Inf(-1): "-Infinity", math.NaN(): "NaN",
	} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
