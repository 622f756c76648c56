package spec

import (
	"regexp"
	"strings"
	"testing"
)

const withVars = `
Variables:
  NAME: ${GEN_STR:10}
  PAYLOAD: ${GEN_STR:12}
  BOTH: ${NAME}-${GEN_STR:3}
  DOTTED: a.b
Input: ${NAME}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: Hello, ${NAME}!
CallbackActions:
  - CallbackName: ${NAME}
    Operation: success
    Payload: {status: '${PAYLOAD}', n: 1}
ExpectedExecutionHistory:
  - EventType: CallbackStarted
    EventId: 2
    Id: ${ID1}
    Name: ${NAME}
    Details: {Payload: '"${PAYLOAD}"', Re: '${/^${DOTTED}$/}', Other: '${ID1}-${BOTH}'}
ExpectedLogs:
  - match: {message: '/ran for ${DOTTED}/', op: '${ID1}', plain: 'x ${DOTTED}'}
`

func TestResolve(t *testing.T) {
	raw := mustParse(t, withVars)
	r, err := raw.Resolve(7)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, v := range r.Variables {
		vars[v.Name] = v.Value
	}
	name, payload := vars["NAME"], vars["PAYLOAD"]
	if !regexp.MustCompile(`^[A-Za-z0-9]{10}$`).MatchString(name) || !regexp.MustCompile(`^[A-Za-z0-9]{12}$`).MatchString(payload) {
		t.Fatalf("generated %q and %q, want 10 and 12 letters or digits", name, payload)
	}
	if !regexp.MustCompile(`^`+name+`-[A-Za-z0-9]{3}$`).MatchString(vars["BOTH"]) || vars["DOTTED"] != "a.b" {
		t.Errorf("BOTH = %q, DOTTED = %q", vars["BOTH"], vars["DOTTED"])
	}
	if r.Input != name || string(r.InputJSON) != `"`+name+`"` {
		t.Errorf("Input %v, InputJSON %s", r.Input, r.InputJSON)
	}
	if r.ExpectedResult.Result != "Hello, "+name+"!" {
		t.Errorf("Result = %v", r.ExpectedResult.Result)
	}
	a := r.CallbackActions[0]
	if a.CallbackName != name || string(a.Body) != `{"status": "`+payload+`", "n": 1}` {
		t.Errorf("action %q body %s", a.CallbackName, a.Body)
	}
	ev := r.ExpectedExecutionHistory[0]
	details := ev["Details"].(map[string]any)
	if ev["Id"] != "${ID1}" || ev["Name"] != name || details["Payload"] != `"`+payload+`"` {
		t.Errorf("event = %v", ev)
	}
	if details["Re"] != `${/^a\.b$/}` {
		t.Errorf("a variable inside ${/regex/} = %q, want it escaped", details["Re"])
	}
	if details["Other"] != "${ID1}-"+vars["BOTH"] {
		t.Errorf("embedded = %q, want the placeholder kept and the variable substituted", details["Other"])
	}
	m := r.ExpectedLogs[0].Match
	if m["message"] != `/ran for a\.b/` || m["op"] != "${ID1}" || m["plain"] != "x a.b" {
		t.Errorf("log match = %v", m)
	}
	if raw.ExpectedResult.Result != "Hello, ${NAME}!" || raw.Variables[0].Value != "${GEN_STR:10}" {
		t.Errorf("Resolve changed the unresolved requirement: %v %v", raw.ExpectedResult.Result, raw.Variables)
	}
}

func TestResolveIsDeterministicPerSeed(t *testing.T) {
	raw := mustParse(t, withVars)
	value := func(r *Requirement, seed uint64) string {
		rr, err := r.Resolve(seed)
		if err != nil {
			t.Fatal(err)
		}
		return rr.Variables[0].Value + rr.Variables[1].Value
	}
	if value(raw, 1) != value(raw, 1) {
		t.Error("the same seed generated different values")
	}
	if value(raw, 1) == value(raw, 2) {
		t.Error("two seeds generated the same values")
	}
	other := *raw
	other.ID = "1-98"
	if value(raw, 1) == value(&other, 1) {
		t.Error("two requirements got the same values from one seed")
	}
}

func TestExpandValidates(t *testing.T) {
	if err := checkExpr("a${GEN_STR:5}b", nil); err != nil {
		t.Errorf("valid expression: %v", err)
	}
	for _, bad := range []string{"${GEN_STR:0}", "${GEN_STR:4097}", "${GEN_STR:-1}", "${GEN_STR}", "${NOPE}", "${}"} {
		if err := checkExpr(bad, map[string]string{"X": ""}); err == nil {
			t.Errorf("checkExpr(%q) accepted it", bad)
		}
	}
}

func TestSyntaxHelpers(t *testing.T) {
	if n, ok := PlaceholderName("${ID1}"); !ok || n != "ID1" {
		t.Errorf("PlaceholderName(${ID1}) = %q %v", n, ok)
	}
	for _, s := range []string{"x${ID1}", "${ID1}x", "${/a/}", "${1A}", "${ID1}${ID2}", "*"} {
		if _, ok := PlaceholderName(s); ok {
			t.Errorf("PlaceholderName(%q) accepted it", s)
		}
	}
	if re, ok := PlaceholderRegex("${/^[0-5]$/}"); !ok || re != "^[0-5]$" {
		t.Errorf("PlaceholderRegex = %q %v", re, ok)
	}
	if _, ok := PlaceholderRegex("${ID1}"); ok {
		t.Error("PlaceholderRegex accepted ${ID1}")
	}
	if re, ok := LogRegex("/a b/"); !ok || re != "a b" {
		t.Errorf("LogRegex = %q %v", re, ok)
	}
	for _, s := range []string{"/", "a/", "/a", ""} {
		if _, ok := LogRegex(s); ok {
			t.Errorf("LogRegex(%q) accepted it", s)
		}
	}
	lits, names := Template("a${X}b${Y}")
	if strings.Join(lits, "|") != "a|b|" || strings.Join(names, "|") != "X|Y" {
		t.Errorf("Template = %q %q", lits, names)
	}
	got := Substitute("${X}.${Y}", func(n string) (string, bool) { return "1+1", n == "X" }, true)
	if got != `1\+1.${Y}` {
		t.Errorf("Substitute = %q", got)
	}
}
