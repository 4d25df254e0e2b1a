// Command immuta-tenant-check checks, with reads only, whether an Immuta
// tenant answers as the provider assumes, before anything is created there
// (package tenantcheck). `make tenant-check` runs it.
//
// It reads the provider's settings from the same environment variables:
// IMMUTA_HOST and IMMUTA_API_TOKEN (required), IMMUTA_CA_CERTIFICATE
// (optional: PEM certificates of a private CA, the certificates themselves)
// or -ca-cert-file PATH. It sends GET /integrations, GET /integrations/{id}
// of one integration of the list and of an id no integration has, and
// GET /integrations without an API key and with a wrong one; never a POST,
// PUT or DELETE.
//
// Exit status: 0 when every fact matches the contract, 1 when one does not
// (the report says what the provider would do about it), 2 on a usage error
// or when the tenant cannot be reached (or refuses the API key).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client"
	"github.com/immuta/terraform-provider-immuta/internal/tenantcheck"
)

// The provider's environment variables (internal/provider: EnvHost,
// EnvAPIToken, EnvCACertificate; a test keeps them equal).
const (
	envHost   = "IMMUTA_HOST"
	envToken  = "IMMUTA_API_TOKEN"
	envCACert = "IMMUTA_CA_CERTIFICATE"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("immuta-tenant-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s=https://acme.immuta.com %s=... immuta-tenant-check [flags]\n\n"+
			"Checks, with GET requests only, whether the tenant answers as the provider assumes.\n"+
			"Exit status: 0 all facts match, 1 a fact does not, 2 usage or connection error.\n\n", envHost, envToken)
		fs.PrintDefaults()
	}
	caFile := fs.String("ca-cert-file", "", "a PEM file of private CA certificates to trust (instead of "+envCACert+", which holds the certificates themselves, as the provider reads it)")
	timeout := fs.Duration("timeout", client.DefaultAttemptTimeout, "bound of each request (the provider's per-attempt timeout by default)")
	if err := fs.Parse(args); err != nil {
		return tenantcheck.ExitStop
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "immuta-tenant-check: unexpected arguments %q\n", fs.Args())
		return tenantcheck.ExitStop
	}
	host, token := strings.TrimSpace(getenv(envHost)), strings.TrimSpace(getenv(envToken))
	var missing []string
	if host == "" {
		missing = append(missing, envHost+" (the URL of your Immuta tenant, such as https://acme.immuta.com)")
	}
	if token == "" {
		missing = append(missing, envToken+" (an Immuta API key of a user with APPLICATION_ADMIN)")
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "immuta-tenant-check: set %s\n", strings.Join(missing, " and "))
		return tenantcheck.ExitStop
	}
	if strings.IndexFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		fmt.Fprintf(stderr, "immuta-tenant-check: %s holds a control character (a stray newline?); the value is not shown\n", envToken)
		return tenantcheck.ExitStop
	}
	base, err := client.NormalizeBaseURL(host)
	if err != nil {
		// Its error quotes the value, which is no secret here, but keep it short.
		fmt.Fprintf(stderr, "immuta-tenant-check: %s: %v\n", envHost, err)
		return tenantcheck.ExitStop
	}
	caPEM := getenv(envCACert)
	if *caFile != "" {
		b, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintf(stderr, "immuta-tenant-check: -ca-cert-file: %v\n", err)
			return tenantcheck.ExitStop
		}
		caPEM = string(b)
	}
	scrub := tenantcheck.NewScrubber(token)
	target := tenantcheck.Target{BaseURL: base, HostTyped: host, Token: token, CACertPEM: caPEM, Timeout: *timeout}
	runCtx, cancel := context.WithTimeout(ctx, 6**timeout)
	defer cancel()
	start := time.Now()
	obs, err := tenantcheck.Probe(runCtx, target)
	var stop *tenantcheck.StopError
	if err != nil && !errors.As(err, &stop) {
		stop = &tenantcheck.StopError{Msg: "unexpected failure", Err: err}
	}
	if obs != nil {
		scrub = tenantcheck.NewScrubber(token, tenantcheck.ClearCredentials(obs)...)
	}
	if stop != nil {
		if obs != nil {
			_ = tenantcheck.Render(stdout, obs, nil, scrub)
		}
		fmt.Fprintln(stderr, scrub.Scrub("immuta-tenant-check: "+stop.Error()))
		return tenantcheck.ExitStop
	}
	facts := tenantcheck.Check(obs)
	if err := tenantcheck.Render(stdout, obs, facts, scrub); err != nil {
		return tenantcheck.ExitStop
	}
	fmt.Fprintf(stdout, "(%d requests in %s)\n", len(obs.Exchanges()), time.Since(start).Round(time.Millisecond))
	return tenantcheck.ExitCode(facts)
}
