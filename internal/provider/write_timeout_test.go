package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

// An update or a destroy whose request Immuta never answers within the operation's
// timeouts is not "interrupted" (the user did nothing): the error names the request
// and the timeout to raise, and says that Immuta may have received it. A gateway
// holds the PUT, then the DELETE, open.
func TestAccWrites_timeoutIsNotAnInterruption(t *testing.T) {
	t.Parallel()
	w := newCLIWorkdir(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	host := env.host("write-timeout")
	timeouts := `  timeouts = { update = "3s", delete = "3s" }`
	w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, timeouts))
	w.mustRun(0, "init")
	w.mustRun(0, "apply", "-auto-approve")
	if _, ok := env.remote(host); !ok {
		t.Fatalf("no integration on %s after the apply", host)
	}
	cases := []struct {
		name, method string
		args         []string
		want         []string
	}{
		{name: "update", method: "PUT", args: []string{"apply", "-auto-approve"},
			want: []string{"The update request got no answer from Immuta", "timeouts.update (3s)",
				"may or may not have received it", "raise timeouts.update"}},
		{name: "destroy", method: "DELETE", args: []string{"destroy", "-auto-approve"},
			want: []string{"The delete request got no answer from Immuta", "timeouts.delete (3s)",
				"may or may not have received it", "raise timeouts.delete"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "update" {
				w.write("main.tf", requiredProviders()+env.integrationConfig(host, env.database, timeouts+"\n  port = 5440"))
			}
			hangRequests(env, tc.method)
			out, code := w.run(tc.args...)
			if code == 0 {
				t.Fatalf("%s succeeded against a gateway holding every %s:\n%s", tc.name, tc.method, out)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, want := range tc.want {
				if !strings.Contains(flat, want) {
					t.Errorf("the %s does not say %q:\n%s", tc.name, want, out)
				}
			}
			if regexp.MustCompile(`(?i)interrupted|deadline exceeded|context canceled`).MatchString(out) {
				t.Errorf("a %s that ran out of time is reported as an interruption or a Go error:\n%s", tc.name, out)
			}
		})
	}
	env.emu.SetFaults(emulator.FaultSettings{})
	w.mustRun(0, "destroy", "-auto-approve")
}
