package checkpoint

import "testing"

func TestHidesChildren(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   Operation
		want bool
	}{
		{"open context", Operation{Type: TypeContext, Status: StatusStarted}, false},
		{"closed context", Operation{Type: TypeContext, Status: StatusSucceeded}, true},
		{"failed context", Operation{Type: TypeContext, Status: StatusFailed, ContextDetails: &ContextDetails{}}, true},
		{"closed with ReplayChildren", Operation{Type: TypeContext, Status: StatusSucceeded, ContextDetails: &ContextDetails{ReplayChildren: true}}, false},
		{"closed step", Operation{Type: TypeStep, Status: StatusSucceeded}, false},
	} {
		if got := tc.op.HidesChildren(); got != tc.want {
			t.Errorf("%s: HidesChildren = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestInState(t *testing.T) {
	ops := map[string]*Operation{
		"open":   {Id: "open", Type: TypeContext, Status: StatusStarted},
		"closed": {Id: "closed", Type: TypeContext, Status: StatusSucceeded},
		"kept":   {Id: "kept", Type: TypeContext, Status: StatusSucceeded, ContextDetails: &ContextDetails{ReplayChildren: true}},
		"inner":  {Id: "inner", ParentId: "closed", Type: TypeContext, Status: StatusStarted},
	}
	for _, tc := range []struct {
		parent string
		want   bool
	}{{"", true}, {"open", true}, {"kept", true}, {"closed", false}, {"inner", false}, {"missing", false}} {
		if got := InState(&Operation{Id: "x", ParentId: tc.parent}, ops); got != tc.want {
			t.Errorf("parent %q: InState = %v, want %v", tc.parent, got, tc.want)
		}
	}
}
