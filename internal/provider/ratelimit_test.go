package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A tenant whose rate limit asks to come back later than the destroy's timeout allows:
// the destroy fails at its timeout with an error that says so and names what to
// change, not "interrupted"; the integration stays in state, and the next destroy,
// the limit lifted, removes it.
func TestAccRedshiftIntegration_rateLimitPastTimeout(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("ratelimit")
	cfg := env.integrationConfig(host, env.database, `  timeouts = { delete = "3s" }`)
	resource.Test(t, env.testCase(
		resource.TestStep{Config: cfg, Check: env.checkRemote(host, "enabled", 5439)},
		resource.TestStep{
			// One request every 20 s: the destroy's refresh takes the token, and its
			// DELETE is asked to come back in 20 s, past the 3 s timeout.
			PreConfig: func() { env.emu.SetRateLimit(0.05, 1) },
			Config:    cfg,
			Destroy:   true,
			ExpectError: wordsRe(`Error: Unable to delete integration`,
				`DELETE /integrations/\S+: Immuta's rate limit \(429 Too Many Requests: Rate limit exceeded\) asked to come back in 20s,`,
				`past the operation's timeout \(3s left\); raise timeouts.delete or lower -parallelism`),
		},
		resource.TestStep{
			PreConfig: func() { env.emu.SetRateLimit(0, 0) },
			Config:    cfg,
			Check:     env.checkRemote(host, "enabled", 5439),
		},
	))
}

// wordsRe matches the parts in order, whatever white space the CLI wraps them with.
func wordsRe(parts ...string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)")
	for i, p := range parts {
		if i > 0 {
			b.WriteString(`.*`)
		}
		b.WriteString(strings.Join(strings.Fields(p), `\s+`))
	}
	return regexp.MustCompile(b.String())
}
