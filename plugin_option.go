package durable

import (
	"context"
	"log/slog"
	"os"

	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/plugin"
)

// WithPlugins installs plugins' lifecycle hooks on the handler: it adds the
// invocation, operation, attempt and checkpoint middlewares of
// plugin.Install. A hook that fails or panics is reported to the handler's
// log handler (WithLogHandler, before or after WithPlugins) and ignored.
func WithPlugins(plugins ...plugin.Plugin) HandlerOption {
	return handlerOption(func(cfg *engine.Config) {
		m := plugin.Install(plugin.Config{Plugins: plugins, Logger: slog.New(configHandler{cfg})})
		cfg.InvocationMiddleware = append(cfg.InvocationMiddleware, m.Invocation)
		cfg.Middleware = append(cfg.Middleware, m.Operation)
		cfg.AttemptMiddleware = append(cfg.AttemptMiddleware, m.Attempt)
		cfg.CheckpointMiddleware = append(cfg.CheckpointMiddleware, m.Checkpoint)
	})
}

// configHandler logs to the handler's configured log handler, looked up when
// a record is logged so that options applied after WithPlugins count.
type configHandler struct{ cfg *engine.Config }

func (h configHandler) target() slog.Handler {
	if h.cfg.LogHandler != nil {
		return h.cfg.LogHandler
	}
	return logging.DefaultHandler(os.Stderr, slog.LevelInfo)
}

func (h configHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.target().Enabled(ctx, l)
}

func (h configHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.target().Handle(ctx, r)
}

func (h configHandler) WithAttrs(as []slog.Attr) slog.Handler { return h.target().WithAttrs(as) }

func (h configHandler) WithGroup(name string) slog.Handler { return h.target().WithGroup(name) }
