// Package client is the lifecycle layer of the Immuta client for Amazon Redshift
// integrations: the status table, the schedule and the waits, the shared lists, the
// host claims and what a create knows from its POST to its wait. The requests
// themselves, their retries, the checks on answers and the error types are the API
// layer's (package api), which this package wraps and which knows nothing of it.
//
// It knows nothing of Terraform: it offers typed requests and answers, one error type
// carrying the status code and Immuta's message, and keeps retrying and waiting in one
// place so that callers do neither.
package client

import (
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// Client is safe for concurrent use. Its mutable state is its one lister
// (lister.go), the waits' watcher (watch.go), the refreshes' batches (refresh.go),
// the estimator's learned durations (estimate.go) and its creates' claims on hosts
// (create_claims.go), each guarding itself.
type Client struct {
	api     *api.Client // the requests, one typed call per endpoint
	logger  api.Logger
	poll    PollSchedule
	lists   *lister    // every GET /integrations, at most one in flight
	watch   *watcher   // the waits' shared looks
	reads   *refresher // refreshes' shared reads
	learned *learner   // how long operations took in this process
	claims  hostClaims // the hosts this Client's creates are creating on
	// snapWait is snapWait (create.go); tests shorten it.
	snapWait time.Duration
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	a, err := api.New(cfg.Connection)
	if err != nil {
		return nil, err
	}
	poll := cfg.Poll
	if poll == (PollSchedule{}) {
		poll = DefaultPollSchedule
	}
	c := &Client{api: a, logger: cfg.Logger, poll: poll, lists: newLister(a), learned: newLearner(), snapWait: snapWait}
	c.watch = newWatcher(c)
	c.reads = newRefresher(c)
	return c, nil
}

// BaseURL is the normalized tenant root, e.g. "https://acme.immuta.com".
func (c *Client) BaseURL() string { return c.api.BaseURL() }
