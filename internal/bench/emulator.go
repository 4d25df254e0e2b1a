package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// emulatorProc is the immuta-emulator command, started and stopped by the harness.
type emulatorProc struct {
	cmd  *exec.Cmd
	url  string
	http *http.Client
}

func startEmulator(ctx context.Context, bin, logPath, apiKey string, transition, latency time.Duration, foreign int) (*emulatorProc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child holds its own descriptor
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-api-key", apiKey,
		"-transition", transition.String(), "-latency", latency.String(), "-foreign-count", strconv.Itoa(foreign))
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulatorProc{cmd: cmd, http: &http.Client{Timeout: 30 * time.Second}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "immuta-emulator listening on "); ok {
				found <- strings.TrimSpace(u)
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case e.url = <-found:
		return e, nil
	case <-time.After(15 * time.Second):
		err = fmt.Errorf("the emulator did not say where it listens within 15s (log: %s)", logPath)
	case <-ctx.Done():
		err = ctx.Err()
	}
	e.stop()
	return nil, err
}

func (e *emulatorProc) stop() {
	if e == nil || e.cmd.Process == nil {
		return
	}
	_ = e.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

// emulatorStats is the part of GET /_emulator/stats the harness uses.
type emulatorStats struct {
	Requests int            `json:"requests"`
	ByRoute  map[string]int `json:"byRoute"`
}

type settlement struct {
	ID          string    `json:"id"`
	Op          string    `json:"op"`
	Status      string    `json:"status"`
	SettledAt   time.Time `json:"settledAt"`
	FirstSeenAt time.Time `json:"firstSeenAt"`
}

func (e *emulatorProc) resetStats(ctx context.Context) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/_emulator/reset-stats", nil)
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST /_emulator/reset-stats: %s", resp.Status)
	}
	return nil
}

func (e *emulatorProc) getJSON(ctx context.Context, path string, v any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+path, nil)
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// lagsMs returns the lag of every observed settlement in milliseconds, sorted,
// and how many were never observed.
func lagsMs(ss []settlement) (lags []float64, unseen int) {
	for _, s := range ss {
		if s.FirstSeenAt.IsZero() {
			unseen++
			continue
		}
		lags = append(lags, float64(s.FirstSeenAt.Sub(s.SettledAt))/float64(time.Millisecond))
	}
	slices.Sort(lags)
	return lags, unseen
}

// percentile is the nearest-rank percentile of sorted values (p in 0..100); NaN when empty.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return nan
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999) // ceil
	return sorted[min(max(rank, 1), len(sorted))-1]
}
