package cli

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/console"
	"github.com/lambda-durable/durable/local/httpapi"
)

// apiPrefixes are the paths of the AWS API versions local/httpapi serves
// (durable executions 2025-12-01, Invoke 2015-03-31). Every other path
// belongs to the console.
var apiPrefixes = []string{"/2025-12-01/", "/2015-03-31/"}

// frontHandler is everything `durable serve` answers on its one address:
// the AWS API under its version prefixes and the web console at "/".
// startServer gives it to httpapi.Listen, which serves it behind
// httpapi.Guard, so the API and the console are protected alike against
// requests from other sites (DNS rebinding, cross-site forms).
func frontHandler(svc *local.Service, logger *slog.Logger) http.Handler {
	api := httpapi.NewHandler(svc, httpapi.WithLogger(logger))
	ui := console.New(svc, console.WithLogger(logger))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range apiPrefixes {
			if strings.HasPrefix(r.URL.Path, p) {
				api.ServeHTTP(w, r)
				return
			}
		}
		ui.ServeHTTP(w, r)
	})
}
