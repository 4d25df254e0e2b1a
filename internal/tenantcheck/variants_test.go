package tenantcheck_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
	"github.com/immuta/terraform-provider-immuta/internal/tenantcheck"
)

const missingPath = "/integrations/2147483647"

// onPath rewrites the answers to one path (and, with key set, only those
// sent with the right API key, or only those without it).
func onPath(path string, f func(w http.ResponseWriter, r *http.Request, next http.Handler)) middleware {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == path {
			f(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// authed: the request carries the right API key.
func authed(r *http.Request) bool { return r.Header.Get("Authorization") == testKey }

// unauthed rewrites the answers to requests without the right API key.
func unauthed(f func(w http.ResponseWriter, r *http.Request)) middleware {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if !authed(r) {
			f(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// bodyRewrite applies f to every 200 answer's body.
func bodyRewrite(match func(*http.Request) bool, f func([]byte) []byte) middleware {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := recorded(next, r)
		if rec.Code == http.StatusOK && (match == nil || match(r)) {
			replaceBody(w, rec, f(rec.Body.Bytes()))
			return
		}
		replaceBody(w, rec, rec.Body.Bytes())
	}
}

func replace(from, to string) func([]byte) []byte {
	return func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(from), []byte(to)) }
}

func answer(w http.ResponseWriter, code int, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// editList decodes a list answer, lets f change each entry, and encodes it.
func editList(f func(map[string]any)) func([]byte) []byte {
	return func(b []byte) []byte {
		var list []map[string]any
		if json.Unmarshal(b, &list) != nil {
			return b
		}
		for _, in := range list {
			f(in)
		}
		out, _ := json.Marshal(list)
		return out
	}
}

func isList(r *http.Request) bool  { return r.URL.Path == "/integrations" }
func isRead3(r *http.Request) bool { return r.URL.Path == "/integrations/3" }

var htmlPage = "<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>"

// Each variant breaks one assumption of the contract; the check must name
// that fact as a mismatch, with the provider's consequence, and send
// nothing but GETs (tenant.check asserts it).
func TestVariantsThatBreakAnAssumption(t *testing.T) {
	type variant struct {
		name     string
		mw       middleware
		opts     []emulator.Option // added to seeds()
		fact     string
		verdict  tenantcheck.Verdict // default Mismatch
		seen     string              // in Fact.Seen
		provider string              // in Fact.Provider
	}
	for _, v := range []variant{
		{name: "404 as a gateway's HTML page", fact: tenantcheck.FactNotFound,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "text/html", htmlPage)
			}),
			seen: "not Immuta's error object: its content type", provider: "a deleted integration would never leave state"},
		{name: "404 with an empty JSON body", fact: tenantcheck.FactNotFound,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "application/json", "")
			}),
			seen: "its body is empty", provider: "spoiled answer"},
		{name: "404 with Immuta's body but a text content type", fact: tenantcheck.FactNotFound,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "text/plain", `{"statusCode":404,"error":"Not Found","message":"No Integration found with ID 2147483647."}`)
			}),
			seen: `its content type is "text/plain", not JSON`, provider: "spoiled answer"},
		{name: "404 whose statusCode is another", fact: tenantcheck.FactNotFound,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "application/json", `{"statusCode":500,"error":"Not Found","message":"x"}`)
			}),
			seen: "its statusCode is not 404", provider: "spoiled answer"},
		{name: "a missing id answered 400", fact: tenantcheck.FactNotFound,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 400, "application/json", `{"statusCode":400,"error":"Bad Request","message":"id is out of range"}`)
			}),
			seen: "400 for id 2147483647", provider: "a deleted integration would stay in state"},
		{name: "404 with another message", fact: tenantcheck.FactNotFoundText,
			mw: onPath(missingPath, func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "application/json", `{"statusCode":404,"error":"Not Found","message":"Integration 2147483647 does not exist"}`)
			}),
			seen: "Integration 2147483647 does not exist", provider: "Harmless"},
		{name: "list wrapped in an object", fact: tenantcheck.FactListShape,
			mw:   bodyRewrite(isList, func(b []byte) []byte { return append(append([]byte(`{"integrations":`), b...), '}') }),
			seen: `a JSON object holding the list in "integrations"`, provider: "JSON array only"},
		{name: "list answered by a login page", fact: tenantcheck.FactListShape,
			opts: []emulator.Option{emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultHTML200}, Paths: []string{"/integrations"}})},
			seen: "an HTML page with status 200", provider: "Set IMMUTA_HOST to the address of Immuta's API"},
		{name: "list redirected to another host", fact: tenantcheck.FactList,
			opts: []emulator.Option{emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultRedirect302}, Paths: []string{"/integrations"}})},
			seen: "302 redirecting to", provider: "refuses a redirect to another host"},
		{name: "list redirected on the same host", fact: tenantcheck.FactList,
			opts: []emulator.Option{emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultRedirectSame}, Paths: []string{"/integrations"}})},
			seen: "307 redirecting to", provider: "follows a redirect to the same host"},
		{name: "list answered by a proxy's 503 page", fact: tenantcheck.FactList,
			opts: []emulator.Option{emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.Fault503}, Paths: []string{"/integrations"}})},
			seen: "503: not Immuta's error object", provider: "retries this (up to 8 times"},
		{name: "a Redshift password and secret key in clear", fact: tenantcheck.FactRedaction,
			mw: bodyRewrite(nil, func(b []byte) []byte {
				b = replace(`"password":"<REDACTED>"`, `"password":`+jsonString(seedPassword))(b)
				return replace(`"secretKey":"<REDACTED>"`, `"secretKey":`+jsonString(seedSecret))(b)
			}),
			seen: "IN CLEAR 4", provider: "tell Immuta"},
		{name: "a username masked otherwise", fact: tenantcheck.FactRedaction,
			mw:   bodyRewrite(nil, replace(`"username":"<REDACTED>"`, `"username":"****"`)),
			seen: "masked otherwise", provider: "reads the mask into state"},
		{name: "an undocumented status", fact: tenantcheck.FactStatuses,
			opts: []emulator.Option{emulator.WithIntegrations(emulator.Seed{Status: "frobnicating", Config: map[string]any{"host": "rs3.example.com", "database": "immuta", "username": "u", "password": "p-secret-3"}})},
			seen: "not documented: frobnicating", provider: "which this client does not know"},
		{name: "an undocumented validation status", fact: tenantcheck.FactValidation,
			mw:   bodyRewrite(nil, replace(`"status":"skipped"`, `"status":"ignored"`)),
			seen: "not documented: ignored", provider: `only when its status is "failed"`},
		{name: "401 as a gateway's HTML page", fact: tenantcheck.FactWrongKey,
			mw: unauthed(func(w http.ResponseWriter, _ *http.Request) {
				answer(w, 401, "text/html", "<html><title>401 Authorization Required</title></html>")
			}),
			seen: "401, but not Immuta's error object", provider: "Mostly harmless"},
		{name: "a missing key answered 403", fact: tenantcheck.FactNoKey,
			mw: unauthed(func(w http.ResponseWriter, _ *http.Request) {
				answer(w, 403, "application/json", `{"statusCode":403,"error":"Forbidden","message":"Forbidden"}`)
			}),
			seen: "403 without an API key", provider: "misleading"},
		{name: "a wrong key redirected to a login page", fact: tenantcheck.FactWrongKey,
			mw: unauthed(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", "https://sso.example.net/login?state=s3cr3t-state")
				answer(w, 302, "", "")
			}),
			seen: `302 redirecting to "https://sso.example.net/login"`, provider: "refuses a redirect to another host"},
		{name: "the list answered without a key", fact: tenantcheck.FactNoKey,
			mw: func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				r.Header.Set("Authorization", testKey)
				next.ServeHTTP(w, r)
			},
			seen: "200: the list was answered without an API key", provider: "lets anyone read"},
		{name: "ids that are not digits", fact: tenantcheck.FactIDType,
			mw: func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				r.URL.Path = strings.Replace(r.URL.Path, "/integrations/int-", "/integrations/", 1)
				bodyRewrite(nil, func(b []byte) []byte {
					return regexp.MustCompile(`"id":"(\d+)"`).ReplaceAll(b, []byte(`"id":"int-$1"`))
				})(w, r, next)
			},
			seen: `are not digits, e.g. "int-`, provider: "accept digits only"},
		{name: "ids that are not integers", fact: tenantcheck.FactIDType,
			mw: bodyRewrite(nil, func(b []byte) []byte {
				return regexp.MustCompile(`"id":"(\d+)"`).ReplaceAll(b, []byte(`"id":$1.5`))
			}),
			seen: "numbers that are not integers", provider: "want a string or an integer"},
		{name: "the read by id differs from the list", fact: tenantcheck.FactReadMatches,
			mw:   bodyRewrite(isRead3, replace(`"database":"immuta"`, `"database":"IMMUTA"`)),
			seen: "they differ in config.database", provider: "depend on how many resources it refreshes"},
		{name: "the read by id lacks status and host", fact: tenantcheck.FactFields,
			mw: bodyRewrite(isRead3, func(b []byte) []byte {
				var in map[string]any
				_ = json.Unmarshal(b, &in)
				delete(in, "status")
				delete(in["config"].(map[string]any), "host")
				out, _ := json.Marshal(in)
				return out
			}),
			seen: "status is missing; config.host is missing", provider: "does not know"},
		{name: "the read by id answers another integration", fact: tenantcheck.FactRead,
			opts: []emulator.Option{emulator.WithFaults(emulator.FaultPolicy{Rate: 1, Count: 1, Kinds: []emulator.Fault{emulator.FaultWrongID}, Paths: []string{"/integrations/{id}"}})},
			seen: "not 3", provider: "misrouted"},
		{name: "the read by id is not found", fact: tenantcheck.FactRead,
			mw: onPath("/integrations/3", func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				answer(w, 404, "application/json", `{"statusCode":404,"error":"Not Found","message":"No Integration found with ID 3."}`)
			}),
			seen: "404 for integration 3", provider: "look deleted"},
		// What the contract tolerates is no mismatch, but is still reported.
		{name: "list entries without config", fact: tenantcheck.FactReadMatches, verdict: tenantcheck.Note,
			mw:   bodyRewrite(isList, editList(func(in map[string]any) { delete(in, "config") })),
			seen: "summaries without config", provider: "each resource is read by id"},
		{name: "a port as a string", fact: tenantcheck.FactFields, verdict: tenantcheck.Match,
			mw:   bodyRewrite(nil, replace(`"port":5439`, `"port":"5439"`)),
			seen: "config.port is a string, which the provider tolerates"},
		{name: "a host with capitals", fact: tenantcheck.FactHostCase, verdict: tenantcheck.Note,
			opts: []emulator.Option{emulator.WithIntegrations(emulator.Seed{Config: map[string]any{"host": "RS3.Example.COM", "database": "immuta", "username": "u", "password": "p-secret-3"}})},
			seen: "1 of 3 with capitals", provider: "without regard to case"},
	} {
		t.Run(v.name, func(t *testing.T) {
			tn := newTenant(t, v.mw, append(seeds(), v.opts...)...)
			r := tn.check(t, testKey)
			if r.err != nil {
				t.Fatalf("Probe: %v\n%s", r.err, r.out)
			}
			t.Log("\n" + r.out)
			want := v.verdict
			if want == "" {
				want = tenantcheck.Mismatch
			}
			f := r.fact(t, v.fact)
			if f.Verdict != want || !strings.Contains(f.Seen, v.seen) || !strings.Contains(f.Provider, v.provider) {
				t.Errorf("%s: got %s %q\nprovider: %q\nwant %s, seen %q, provider %q\n%s", v.fact, f.Verdict, f.Seen, f.Provider, want, v.seen, v.provider, r.out)
			}
			wantExit := tenantcheck.ExitMatch
			if want == tenantcheck.Mismatch {
				wantExit = tenantcheck.ExitMismatch
				if !strings.Contains(r.out, "MISMATCH    "+v.fact+": ") || !strings.Contains(r.out, "provider: ") {
					t.Errorf("report does not name the mismatch with its consequence:\n%s", r.out)
				}
			}
			if code := tenantcheck.ExitCode(r.facts); code != wantExit {
				t.Errorf("exit code %d, want %d\n%s", code, wantExit, r.out)
			}
			if n := len(tn.srv.OtherOrigin()); n > 0 {
				t.Errorf("%d requests followed a redirect to another origin", n)
			}
			assertNoSecret(t, r.out, testKey, seedPassword, seedSecret, seedSession, "s3cr3t-state")
		})
	}
}

// A tenant that echoes the API key and hands credentials back in clear, in
// every field the report prints from: the report holds none of them, in any
// of their usual encodings.
func TestReportNeverHoldsASecret(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(testKey))
	mw := func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		switch {
		case r.URL.Path == missingPath:
			answer(w, 404, "application/json", `{"statusCode":404,"error":"Not Found","message":`+
				jsonString("No Integration found for key "+r.Header.Get("Authorization")+" ("+b64+")")+`}`)
		case !authed(r):
			answer(w, 401, "text/html", "<title>bad key "+r.Header.Get("Authorization")+"</title>")
		default:
			bodyRewrite(nil, func(b []byte) []byte {
				b = replace(`"password":"<REDACTED>"`, `"password":`+jsonString(seedPassword))(b)
				b = replace(`"sessionToken":"<REDACTED>"`, `"sessionToken":`+jsonString(seedSession))(b)
				b = replace(`"username":"<REDACTED>"`, `"username":`+jsonString(seedUser))(b)
				// The key as a status and as a type: fields the report prints.
				b = replace(`"status":"createError"`, `"status":`+jsonString(testKey))(b)
				return replace(`"type":"Databricks"`, `"type":`+jsonString(seedPassword))(b)
			})(w, r, next)
		}
	}
	tn := newTenant(t, mw, seeds()...)
	r := tn.check(t, testKey)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if f := r.fact(t, tenantcheck.FactRedaction); f.Verdict != tenantcheck.Mismatch || !strings.Contains(f.Seen, "config.password") {
		t.Errorf("redaction: %s %q", f.Verdict, f.Seen)
	}
	if !strings.Contains(r.out, "***") {
		t.Errorf("nothing was scrubbed; was the echo there?\n%s", r.out)
	}
	assertNoSecret(t, r.out, testKey, b64, seedPassword, seedSession, seedUser)
}
