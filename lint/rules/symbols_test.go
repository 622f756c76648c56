package rules

import "testing"

func TestMatchExternal(t *testing.T) {
	for _, tc := range []struct {
		sym  symbol
		want *message // nil: not reported
	}{
		{symbol{pkg: "net/http", name: "Get"}, &networkMessage},
		{symbol{pkg: "net/http", name: "PostForm"}, &networkMessage},
		{symbol{pkg: "net/http", recv: "Client", name: "Do"}, &networkMessage},
		{symbol{pkg: "net/http", recv: "Transport", name: "RoundTrip"}, &networkMessage},
		{symbol{pkg: "net/http", name: "NewRequestWithContext"}, nil},
		{symbol{pkg: "net/http", recv: "Header", name: "Get"}, nil},
		{symbol{pkg: "net", name: "Dial"}, &networkMessage},
		{symbol{pkg: "net", recv: "Resolver", name: "LookupHost"}, &networkMessage},
		{symbol{pkg: "net", name: "ParseIP"}, nil},
		{symbol{pkg: "database/sql", recv: "DB", name: "QueryContext"}, &networkMessage},
		{symbol{pkg: "database/sql", recv: "Tx", name: "Commit"}, nil},
		{symbol{pkg: "database/sql", recv: "Rows", name: "Scan"}, nil},
		{symbol{pkg: "os", name: "LookupEnv"}, &envMessage},
		{symbol{pkg: "os", name: "Exit"}, nil},
		{symbol{pkg: "io/ioutil", name: "ReadFile"}, &fileMessage},
		{symbol{pkg: "os/exec", name: "LookPath"}, &processMessage},
		{symbol{pkg: "os/exec", recv: "Error", name: "Error"}, nil},
	} {
		got, ok := matchExternal(tc.sym)
		switch {
		case tc.want == nil && ok:
			t.Errorf("%s reported: %q", tc.sym, got.what)
		case tc.want != nil && (!ok || got != *tc.want):
			t.Errorf("%s: got %q (reported %v), want %q", tc.sym, got.what, ok, tc.want.what)
		}
	}
}

func TestIsRandom(t *testing.T) {
	for _, tc := range []struct {
		sym  symbol
		want bool
	}{
		{symbol{pkg: "math/rand/v2", name: "IntN"}, true},
		{symbol{pkg: "math/rand", name: "Seed"}, true},
		{symbol{pkg: "math/rand/v2", name: "NewPCG"}, false},
		{symbol{pkg: "math/rand/v2", recv: "Rand", name: "IntN"}, false},
		{symbol{pkg: "crypto/rand", name: "Text"}, true},
		{symbol{pkg: "github.com/google/uuid", name: "NewString"}, true},
		{symbol{pkg: "github.com/google/uuid", name: "NewSHA1"}, false},
		{symbol{pkg: "github.com/google/uuid", name: "Parse"}, false},
	} {
		if got := isRandom(tc.sym); got != tc.want {
			t.Errorf("isRandom(%s) = %v, want %v", tc.sym, got, tc.want)
		}
	}
}

func TestSymbolString(t *testing.T) {
	for sym, want := range map[symbol]string{
		{pkg: "time", name: "Now"}:                         "time.Now",
		{pkg: "math/rand/v2", name: "IntN"}:                "rand.IntN",
		{pkg: "net/http", recv: "Client", name: "Do"}:      "http.Client.Do",
		{pkg: "github.com/google/uuid", name: "NewString"}: "uuid.NewString",
		{pkg: "example.com/v2", name: "F"}:                 "example.com.F",
		{pkg: "example.com/lib/v2x", name: "F"}:            "v2x.F",
	} {
		if got := sym.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", sym, got, want)
		}
	}
}
