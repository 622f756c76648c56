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
