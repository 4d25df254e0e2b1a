// Command immuta-emulator serves the Immuta Integrations API emulator for
// Amazon Redshift, for demos and for scripts that drive the provider.
//
// It prints one line, "immuta-emulator listening on http://HOST:PORT", to
// stdout once it accepts requests, then logs requests to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("immuta-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8089", "address to listen on; 127.0.0.1:0 picks a free port")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback -listen address (the admin surface has no auth)")
	apiKey := fs.String("api-key", "demo", "API key clients must send")
	transition := fs.Duration("transition", 300*time.Millisecond, "duration of creating, editing and deleting")
	latency := fs.Duration("latency", 0, "latency added to every API request")
	retention := fs.Duration("deleted-retention", 0, "how long a deleted integration answers status deleted before 404")
	numericIDs := fs.Bool("numeric-ids", false, "answer ids as JSON numbers")
	scriptFormat := fs.String("script-format", "plain", "script answers: plain, json-string or json-object")
	faultRate := fs.Float64("fault-rate", 0, "fraction (0..1) of API requests to fault")
	faultKinds := fs.String("faults", "", "comma-separated fault kinds ("+faultNames()+"); default all")
	faultSeed := fs.Int64("fault-seed", 0, "seed of the fault choices")
	faultCount := fs.Int("fault-count", 0, "inject at most this many random faults (0: no limit)")
	faultMethods := fs.String("fault-methods", "", "comma-separated methods eligible for faults (default all)")
	faultPaths := fs.String("fault-paths", "", "comma-separated paths or routes eligible for faults, e.g. /integrations,/integrations/{id}/status (default all)")
	rateLimit := fs.Float64("rate-limit", 0, "API requests a second the tenant allows; beyond it, 429 with Retry-After (0: no limit)")
	rateBurst := fs.Int("rate-burst", 0, "requests the rate limit lets through at once (default: one second's worth, at least 1)")
	hangLimit := fs.Duration("hang-limit", time.Minute, "how long the hang faults hold a request nobody gives up on")
	var omission emulator.Omission
	fs.Func("omit", "KEY=VALUE[,KEY=VALUE...] with KEY id, host or status: what the omit fault leaves out of lists (default every Redshift integration)",
		func(v string) error { return parseOmission(v, &omission) })
	foreign := fs.Bool("foreign", false, "seed the documentation's Snowflake and Databricks integrations")
	foreignCount := fs.Int("foreign-count", 0, "seed this many more Snowflake and Databricks integrations (a large tenant)")
	outcomes := map[string]emulator.Outcome{}
	fs.Func("outcome", "HOST=KIND[,KIND...]: what happens to integrations on a Redshift host: createError, editError, deleteError, stuck (repeatable)",
		func(v string) error {
			host, o, err := parseOutcome(v)
			if err == nil {
				outcomes[host] = o
			}
			return err
		})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "immuta-emulator: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if !*allowRemote && !isLoopback(*listen) {
		fmt.Fprintf(stderr, "immuta-emulator: refusing non-loopback address %q without -allow-remote\n", *listen)
		return 2
	}
	format, err := parseScriptFormat(*scriptFormat)
	if err != nil {
		fmt.Fprintf(stderr, "immuta-emulator: %v\n", err)
		return 2
	}
	kinds, err := parseFaults(*faultKinds)
	if err != nil {
		fmt.Fprintf(stderr, "immuta-emulator: %v\n", err)
		return 2
	}
	if *rateLimit < 0 || *rateBurst < 0 {
		fmt.Fprintf(stderr, "immuta-emulator: -rate-limit and -rate-burst must not be negative\n")
		return 2
	}
	if *rateBurst == 0 {
		*rateBurst = max(int(*rateLimit), 1)
	}
	if *faultRate < 0 || *faultRate > 1 {
		fmt.Fprintf(stderr, "immuta-emulator: -fault-rate must be within 0..1\n")
		return 2
	}

	opts := []emulator.Option{
		emulator.WithAPIKey(*apiKey),
		emulator.WithTransition(*transition),
		emulator.WithLatency(*latency),
		emulator.WithDeletedRetention(*retention),
		emulator.WithScriptFormat(format),
		emulator.WithHangLimit(*hangLimit),
		emulator.WithOmission(omission),
		emulator.WithRateLimit(*rateLimit, *rateBurst),
		emulator.WithForeignCount(*foreignCount),
		emulator.WithLogger(log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)),
	}
	if *numericIDs {
		opts = append(opts, emulator.WithNumericIDs())
	}
	if *foreign {
		opts = append(opts, emulator.WithForeignIntegrations())
	}
	if *faultRate > 0 {
		opts = append(opts, emulator.WithFaults(emulator.FaultPolicy{Rate: *faultRate, Kinds: kinds, Seed: *faultSeed,
			Count: *faultCount, Methods: splitList(*faultMethods), Paths: splitList(*faultPaths)}))
	}

	srv, err := emulator.Listen(*listen, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "immuta-emulator: %v\n", err)
		return 1
	}
	for host, o := range outcomes {
		srv.SetOutcome(host, o)
	}
	fmt.Fprintf(stdout, "immuta-emulator listening on %s\n", srv.URL)

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "immuta-emulator: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// isLoopback accepts only addresses that cannot be reached from elsewhere;
// an empty host means every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func parseScriptFormat(s string) (emulator.ScriptFormat, error) {
	for _, f := range []emulator.ScriptFormat{emulator.ScriptPlainText, emulator.ScriptJSONString, emulator.ScriptJSONObject} {
		if f.String() == s {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown -script-format %q (want plain, json-string or json-object)", s)
}

func faultNames() string {
	names := make([]string, 0, len(emulator.AllFaults)+len(emulator.RaceFaults))
	for _, f := range append(slices.Clone(emulator.AllFaults), emulator.RaceFaults...) {
		names = append(names, string(f))
	}
	return strings.Join(names, ",")
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseOmission reads KEY=VALUE[,KEY=VALUE...] of the -omit flag.
func parseOmission(v string, o *emulator.Omission) error {
	for _, kv := range splitList(v) {
		key, val, ok := strings.Cut(kv, "=")
		switch {
		case !ok || val == "":
			return fmt.Errorf("want KEY=VALUE, got %q", kv)
		case key == "id":
			o.IDs = append(o.IDs, val)
		case key == "host":
			o.Hosts = append(o.Hosts, val)
		case key == "status":
			o.Statuses = append(o.Statuses, val)
		default:
			return fmt.Errorf("unknown -omit key %q (id, host, status)", key)
		}
	}
	return nil
}

func parseFaults(s string) ([]emulator.Fault, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []emulator.Fault
	for _, name := range strings.Split(s, ",") {
		f, err := emulator.ParseFault(name)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// parseOutcome reads HOST=KIND[,KIND...] of the -outcome flag.
func parseOutcome(v string) (string, emulator.Outcome, error) {
	var o emulator.Outcome
	host, kinds, ok := strings.Cut(v, "=")
	if !ok || host == "" || kinds == "" {
		return "", o, fmt.Errorf("want HOST=KIND[,KIND...], got %q", v)
	}
	for _, k := range strings.Split(kinds, ",") {
		switch strings.TrimSpace(k) {
		case "createError":
			o.CreateError = true
		case "editError":
			o.EditError = true
		case "deleteError":
			o.DeleteError = true
		case "stuck":
			o.Stuck = true
		default:
			return "", o, fmt.Errorf("unknown outcome %q (createError, editError, deleteError, stuck)", k)
		}
	}
	return host, o, nil
}
