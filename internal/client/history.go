package client

import (
	"encoding/json"
	"slices"
	"sync"
	"time"
)

// History is what one integration's earlier operations took, kept by the caller
// between commands (the provider keeps it in the resource's private state), so that a
// wait in a new process can predict as the waits of one Client learn from each other
// (watch.go). An update of an integration usually takes about as long as its last
// updates did.
//
// A prediction is only ever made for the kind of operation it was learned from: a
// wait whose kind has no history follows the schedule (or what the Client learned in
// this process), whatever the other kinds say. A prediction never delays the end of a
// wait past PollSchedule.nextLook's bounds: at most Max unobserved, and the schedule
// again once the integration is late.
type History struct {
	mu   sync.Mutex
	ends map[Operation][]time.Duration // estimated end of each, oldest first
}

// historyKeep is how many ends of each kind a History keeps.
const historyKeep = 5

func (h *History) add(op Operation, end time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ends == nil {
		h.ends = map[Operation][]time.Duration{}
	}
	h.ends[op] = appendKeep(h.ends[op], end, historyKeep)
}

// typical is the median of op's recorded ends, 0 when there are none.
func (h *History) typical(op Operation) time.Duration {
	h.mu.Lock()
	d := slices.Clone(h.ends[op])
	h.mu.Unlock()
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// historyJSON is History's stored form: milliseconds by operation.
type historyJSON map[Operation][]int64

// MarshalJSON stores the ends in milliseconds.
func (h *History) MarshalJSON() ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := historyJSON{}
	for op, ends := range h.ends {
		for _, e := range ends {
			out[op] = append(out[op], e.Milliseconds())
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON stored. Unknown operations and values that
// cannot be durations (negative, or beyond a day) are dropped: a prediction from a
// spoiled record could only make a wait look late.
func (h *History) UnmarshalJSON(b []byte) error {
	var in historyJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ends = map[Operation][]time.Duration{}
	for op, ends := range in {
		if op != OpCreate && op != OpUpdate && op != OpDelete {
			continue
		}
		for _, ms := range ends {
			if ms > 0 && ms <= (24*time.Hour).Milliseconds() {
				h.ends[op] = append(h.ends[op], time.Duration(ms)*time.Millisecond)
			}
		}
		if n := len(h.ends[op]); n > historyKeep {
			h.ends[op] = h.ends[op][n-historyKeep:]
		}
	}
	return nil
}
