package api

import (
	"context"
	"time"
)

// Logger receives one entry per HTTP attempt (and, at trace level, one more with the
// bodies). Fields are already masked: no Authorization header, no credential, no
// script. Implementations must be safe for concurrent use.
type Logger interface {
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

// Level is the severity of a log entry.
type Level int

// Levels, from the most verbose.
const (
	LevelTrace Level = iota
	LevelDebug
	LevelInfo
	LevelWarn
)

func (l Level) String() string {
	switch l {
	case LevelTrace:
		return "trace"
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	}
	return "unknown"
}

// Log messages, stable so that callers can filter on them.
const (
	LogMsgAttempt = "immuta api request"
	LogMsgBodies  = "immuta api request bodies"
	LogMsgWait    = "immuta wait"
)

type attemptLog struct {
	call     *call
	attempt  int
	res      *Response
	err      error
	duration time.Duration
	retryIn  time.Duration
	retry    bool
}

func (c *Client) logAttempt(ctx context.Context, a attemptLog, secrets secretSet) {
	if c.logger == nil {
		return
	}
	fields := map[string]any{
		"method":      a.call.method,
		"path":        a.call.path,
		"attempt":     a.attempt,
		"duration_ms": a.duration.Milliseconds(),
		"status":      0,
	}
	level := LevelDebug
	if a.res != nil {
		fields["status"] = a.res.Status
		if a.res.Status >= 500 || a.res.Status == 429 {
			level = LevelWarn
		}
	}
	if a.err != nil {
		fields["error"] = secrets.scrub(a.err.Error())
		if a.res == nil {
			level = LevelWarn // no answer at all
		}
	}
	if a.retry {
		fields["retry_in_ms"] = a.retryIn.Milliseconds()
	}
	c.logger.Log(ctx, level, LogMsgAttempt, fields)

	bodies := map[string]any{
		"method":       a.call.method,
		"path":         a.call.path,
		"attempt":      a.attempt,
		"request_body": maskBody(a.call.body, "application/json", false, secrets),
	}
	if a.res != nil {
		ok := a.res.Status >= 200 && a.res.Status < 300
		bodies["status"] = a.res.Status
		bodies["response_body"] = maskBody(a.res.Body, a.res.Header.Get("Content-Type"), a.call.script && ok, secrets)
	}
	c.logger.Log(ctx, LevelTrace, LogMsgBodies, bodies)
}
