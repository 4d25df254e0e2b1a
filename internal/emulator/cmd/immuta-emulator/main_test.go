package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/emulator"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-api-key", "k", "-numeric-ids", "-foreign",
			"-script-format", "json-object", "-transition", "10ms", "-faults", "503", "-fault-rate", "0"}, outW, &stderr)
		outW.Close()
	}()

	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^immuta-emulator listening on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()

	r, _ := http.NewRequest("GET", m[1]+"/integrations", nil)
	r.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(list) != 2 || list[0]["id"] != 1.0 {
		t.Errorf("GET /integrations: %d %v", resp.StatusCode, list)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	if !strings.Contains(stderr.String(), "GET /integrations 200") || strings.Contains(stderr.String(), "Bearer") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := [][]string{
		{"-listen", "0.0.0.0:0"},
		{"-listen", ":8089"},
		{"-listen", "192.0.2.1:80"},
		{"-script-format", "xml"},
		{"-faults", "418"},
		{"-fault-rate", "2"},
		{"-rate-limit", "-1"},
		{"-rate-burst", "-3"},
		{"-omit", "colour=red"},
		{"-omit", "host"},
		{"-outcome", "h.example=explode"},
		{"-outcome", "createError"},
		{"extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if stdout.Len() != 0 || stderr.Len() == 0 {
				t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
			}
		})
	}
}

func TestParseOutcome(t *testing.T) {
	for _, tc := range []struct {
		in   string
		host string
		want emulator.Outcome
	}{
		{"a.example=createError", "a.example", emulator.Outcome{CreateError: true}},
		{"b.example=editError,stuck", "b.example", emulator.Outcome{EditError: true, Stuck: true}},
		{"c.example=deleteError", "c.example", emulator.Outcome{DeleteError: true}},
	} {
		host, got, err := parseOutcome(tc.in)
		if err != nil || host != tc.host || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseOutcome(%q) = %q, %+v, %v; want %q, %+v", tc.in, host, got, err, tc.host, tc.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8089": true, "[::1]:0": true, "localhost:1": true, "127.1.2.3:9": true,
		"0.0.0.0:1": false, ":1": false, "example.com:80": false, "nonsense": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

func TestRunFaultFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-api-key", "k", "-faults", "omit,wrong-id", "-fault-rate", "1",
			"-fault-count", "3", "-fault-methods", "GET", "-fault-paths", "/integrations", "-omit", "status=deleteError,host=h.example,id=7",
			"-hang-limit", "1s"}, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	url := strings.TrimSpace(strings.TrimPrefix(line, "immuta-emulator listening on "))
	resp, err := http.Get(url + "/_emulator/faults")
	if err != nil {
		t.Fatal(err)
	}
	var got emulator.FaultSettings
	_ = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	want := emulator.FaultSettings{
		Policies: []emulator.FaultPolicy{{Rate: 1, Kinds: []emulator.Fault{emulator.FaultOmit, emulator.FaultWrongID}, Count: 3, Methods: []string{"GET"}, Paths: []string{"/integrations"}}},
		Sequence: []emulator.Fault{},
		Omission: emulator.Omission{IDs: []string{"7"}, Hosts: []string{"h.example"}, Statuses: []string{"deleteError"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("faults %+v, want %+v", got, want)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, stderr.String())
	}
}

// -rate-limit 1: the second API request of the same second is answered 429 with
// Retry-After, in Immuta's error shape.
func TestRunRateLimitFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-api-key", "k", "-rate-limit", "0.2"}, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	url := strings.TrimSpace(strings.TrimPrefix(line, "immuta-emulator listening on "))
	var codes []int
	var last *http.Response
	for range 2 {
		r, _ := http.NewRequest("GET", url+"/integrations", nil)
		r.Header.Set("Authorization", "k")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ StatusCode int }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == 429 && e.StatusCode != 429 {
			t.Errorf("429 body not in Immuta's shape: %+v", e)
		}
		last = resp
	}
	if !reflect.DeepEqual(codes, []int{200, 429}) || last.Header.Get("Retry-After") != "5" {
		t.Errorf("codes %v, Retry-After %q; want [200 429] and 5 (one request every 5 s)", codes, last.Header.Get("Retry-After"))
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, stderr.String())
	}
}
