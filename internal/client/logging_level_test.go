package client

import (
	"context"
	"net/http"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// An attempt logs at warn when the answer is a server error or a 429 (a sign of
// trouble worth seeing without debug logs), at debug otherwise; the boundaries
// (499, 500) are where a mutation survived.
func TestAttemptLogLevel(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   Level
	}{
		{200, api.LevelDebug}, {404, api.LevelDebug}, {428, api.LevelDebug}, {429, LevelWarn}, {430, api.LevelDebug},
		{499, api.LevelDebug}, {500, LevelWarn}, {502, LevelWarn}, {503, LevelWarn},
	} {
		f := newInMemoryFake(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			if tc.status == 200 {
				reply(w, 200, `{"id": "1", "status": "enabled"}`)
				return
			}
			replyErr(w, tc.status, "no")
		})
		c, l := newTestClient(t, f.URL, func(cfg *Config) { cfg.RetryMax = -1 })
		_, _ = c.GetIntegration(context.Background(), "1")
		var levels []Level
		for _, e := range l.all() {
			if e.Msg == api.LogMsgAttempt {
				levels = append(levels, e.Level)
			}
		}
		if len(levels) != 1 || levels[0] != tc.want {
			t.Errorf("answer %d: attempt logged at %v, want one at %v", tc.status, levels, tc.want)
		}
	}
}
