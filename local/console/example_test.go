package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/console"
)

// Serve the console of a service under a path prefix of your own server;
// its links are relative, so they stay under the prefix.
func ExampleNew() {
	svc := local.New()
	defer svc.Close()
	mux := http.NewServeMux()
	mux.Handle("/console/", http.StripPrefix("/console", console.New(svc)))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output: 200 text/html; charset=utf-8
}
