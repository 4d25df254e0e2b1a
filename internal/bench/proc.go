package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memWatch follows the provider plugin processes that one CLI process starts
// and keeps the largest VmHWM (peak resident set) seen among them.
//
// The CLI, not the harness, starts the provider (as it does for users), so the
// plugin is found as a child of the CLI process through
// /proc/<pid>/task/*/children and sampled every interval while the command
// runs. VmHWM only grows, so the last sample before the plugin exits is its
// peak up to that moment; growth within the final interval can be missed.
// Linux only: elsewhere the peak stays 0 and the table says "n/a".
type memWatch struct {
	parent int
	prefix string // of /proc/<pid>/comm, which is truncated to 15 bytes

	mu      sync.Mutex
	peakKiB int64
	pids    map[int]bool

	stop chan struct{}
	done chan struct{}
}

func watchMemory(parent int, binary string, every time.Duration) *memWatch {
	prefix := filepath.Base(binary)
	if len(prefix) > 15 {
		prefix = prefix[:15]
	}
	w := &memWatch{parent: parent, prefix: prefix, pids: map[int]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Stop ends sampling and returns the peak in KiB and how many plugin
// processes were seen.
func (w *memWatch) Stop() (peakKiB int64, processes int) {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peakKiB, len(w.pids)
}

func (w *memWatch) sample() {
	for _, pid := range children(w.parent) {
		w.mu.Lock()
		known, seen := w.pids[pid]
		w.mu.Unlock()
		if !seen {
			comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
			if err != nil {
				continue
			}
			known = strings.HasPrefix(strings.TrimSpace(string(comm)), w.prefix)
			if known {
				w.mu.Lock()
				w.pids[pid] = true
				w.mu.Unlock()
			}
		}
		if !known {
			continue
		}
		if kib := vmHWM(pid); kib > 0 {
			w.mu.Lock()
			w.peakKiB = max(w.peakKiB, kib)
			w.mu.Unlock()
		}
	}
}

// children lists the child processes of pid.
func children(pid int) []int {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	var out []int
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// vmHWM reads the peak resident set size of pid in KiB, or 0.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
