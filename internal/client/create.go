package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// lookupTries bounds the lookups by host after a create whose outcome was lost, when
// nothing is found and the POST cannot be sent again (interrupted, or out of
// attempts): a list may leave an integration out, so one empty answer proves nothing.
const lookupTries = 5

// lookupTimeout bounds those lookups when the caller's context has already ended
// (Ctrl-C, the create timeout): they run on a fresh context, since an integration
// created and not recorded would be "someone else's" to the next apply.
const lookupTimeout = time.Minute

// Creation is one create of a Redshift integration, from its POST to the end of its
// wait: what the create knows (the snapshot of the hosts, what its attempts prove)
// travels with it. Done releases its claim on the host; call it when the create ends.
type Creation struct {
	// Integration is what the create made: the POST's answer, or the integration found
	// on the host after the answer was lost.
	Integration *Integration
	// Adopted is true when the create's answer was lost after an attempt that may have
	// reached Immuta, and Integration was then found on the host, with the
	// configuration sent, where the snapshot before the first POST showed none. It is
	// most likely this create's, but the API cannot tell it from one that another
	// pipeline created on the host at the same moment: the caller must say so.
	Adopted bool
	// Cause says how the answer was lost, when Adopted.
	Cause string

	cr      *creation
	release func(id string)
}

// Done ends the create: its host is free for another create of this Client, and the
// integration it made is known as this Client's (create_claims.go). It may be called
// more than once.
func (cn *Creation) Done() {
	if cn != nil && cn.release != nil {
		id := ""
		if cn.Integration != nil {
			id = cn.Integration.ID.String()
		}
		cn.release(id)
		cn.release = nil
	}
}

// StartCreate claims p's host for this create, POSTs p and returns what it made. It
// never creates a duplicate and never adopts an integration that someone else held
// before it:
//
//   - A host another create of this Client is creating on (another resource of the
//     same apply) is refused before any request: *HostBusyError (create_claims.go).
//   - Before the first POST it learns which Redshift hosts already have an
//     integration (one GET /integrations shared by the creates that start together,
//     hostsBefore).
//   - The POST is re-sent without a look only when Immuta certainly did not act
//     (api/create_evidence.go: its own 429 or 503, a refused redirect, a request that
//     never left).
//   - After attempts that Immuta did not act on only, a 409 is someone else's: an
//     *ExistingIntegrationError (its id, for an import block), whatever the snapshot.
//   - When an attempt's answer proves nothing (a gateway's page, a 500, the
//     connection lost or timed out after sending, an unreadable 2xx, ctx ending after
//     sending), it looks for the integration on p's host, on a fresh bounded context
//     if ctx has ended. One found with the configuration sent, on a host that had none
//     before the first POST, is adopted: returned with Adopted set. None found: the
//     POST is sent again (a 409 then names the one found by GET).
//   - An integration that held the host before is an *ExistingIntegrationError;
//     Immuta's 409 stays reachable through Unwrap.
//
// On success the caller must call Done when the create ends (after its wait).
func (c *Client) StartCreate(ctx context.Context, p Payload) (*Creation, error) {
	const op = "create integration"
	release, err := c.claims.claim(p.Config.Host, p.Config.Database)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	in, cr, err := c.create(ctx, p)
	if err != nil {
		release("")
		var ex *ExistingIntegrationError
		if errors.As(err, &ex) && !ex.Ambiguous {
			if db, ok := c.claims.madeHere(ex.ID); ok {
				return nil, fmt.Errorf("%s: %w", op, &HostBusyError{Host: p.Config.Host, Database: p.Config.Database, OtherDatabase: db, ID: ex.ID})
			}
		}
		return nil, err
	}
	cn := &Creation{Integration: in, Adopted: cr.adopted, cr: cr, release: release}
	if cr.adopted && cr.ev.Lost != nil {
		cn.Cause = cr.ev.Lost.Error()
	}
	return cn, nil
}

func (c *Client) create(ctx context.Context, p Payload) (*Integration, *creation, error) {
	const op = "create integration"
	body, err := json.Marshal(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}
	host := p.Config.Host
	snap, err := c.hostsBefore(ctx)
	cr := &creation{c: c, op: op, host: host, want: p, ev: &api.AttemptEvidence{}}
	switch {
	case err == nil:
		cr.prior, cr.known = c.lists.holder(snap, host), true
	case errors.Is(err, errSnapshotSlow):
		// Sent without knowing the hosts: a lost outcome is then reported, not adopted.
		c.logger.Log(ctx, LevelWarn, "create: sent without a snapshot of the hosts", map[string]any{"host": host, "cause": err.Error()})
	default:
		return nil, nil, fmt.Errorf("%s: listing the integrations, to learn whether Redshift host %q already has one, failed, so nothing was sent: %w", op, host, err)
	}
	var sent int
	for {
		res, err := c.api.PostIntegration(ctx, body, &sent, cr.ev)
		if err == nil {
			in, derr := api.IntegrationAnswer(res, http.MethodPost, "/integrations", "")
			if derr == nil {
				derr = api.CheckCreated(in, host)
			}
			if derr == nil {
				return in, cr, nil
			}
			// A 2xx we cannot use proves nothing: a gateway answers 200 with null, {}
			// or half a body whether or not Immuta acted (it may even have hidden
			// Immuta's 409). It is a lost answer: look by host, and when no list shows
			// the integration (a list can leave one out), send again; Immuta allows
			// one integration per host, so a create that did act meets its 409, which
			// conflict resolves.
			cause := fmt.Errorf("the answer was unusable (not Immuta's, or cut short): %w", derr)
			cr.ev.AnswerLost(cause)
			in, resend, err := cr.lookup(ctx, cause, sent <= c.api.RetryMax())
			if !resend {
				return in, cr, err
			}
			continue
		}
		if ex := existingFromConflict(err, host); ex != nil {
			in, err := cr.conflict(ctx, ex)
			return in, cr, err
		}
		if !cr.ev.MayHaveActed() || api.EndsCreate(err) {
			return nil, cr, fmt.Errorf("%s: %w", op, err)
		}
		in, resend, err := cr.lookup(ctx, err, sent <= c.api.RetryMax())
		if !resend {
			return in, cr, err
		}
	}
}

// creation is one create's knowledge of its host and of what its attempts prove.
type creation struct {
	c     *Client
	op    string
	host  string
	prior string // id of the integration on host before the first POST, "" for none
	known bool   // prior is known (the snapshot came in time)
	want  Payload
	ev    *api.AttemptEvidence
	// adopted: the integration returned was found on the host after a lost answer.
	adopted bool
}

// mine: the configuration Immuta reports is the one this create sent. A list can
// leave an integration out, so a snapshot that shows a host free is strong evidence,
// not proof; an integration on the host with another database, port or
// authentication is someone else's, whatever the snapshot said.
func (cr *creation) mine(in *Integration) bool {
	got, want := in.Config, cr.want.Config
	port := func(p int) int {
		if p == 0 {
			return DefaultRedshiftPort
		}
		return p
	}
	return in.AutoBootstrap == cr.want.AutoBootstrap &&
		api.NormalizeHost(got.Host) == api.NormalizeHost(want.Host) &&
		got.Database == want.Database &&
		port(got.Port) == port(want.Port) &&
		(got.AuthenticationType == "" || want.AuthenticationType == "" || got.AuthenticationType == want.AuthenticationType)
}

// adopt returns the integration a POST of this apply most likely made although its
// answer was lost; the caller is told (Creation.Adopted), since a rival creating on
// the host at the same moment with the same configuration cannot be told apart.
func (cr *creation) adopt(ctx context.Context, in *Integration, cause error) (*Integration, error) {
	cr.c.logger.Log(ctx, LevelWarn, "create: the answer was lost; the integration on the host was not there before this request, so it is taken for this apply's", map[string]any{
		"integration_id": in.ID.String(), "host": cr.host, "cause": cause.Error(),
	})
	cr.adopted = true
	return in, nil
}

// conflict handles a 409 "already exists on host": ours only if an earlier attempt of
// this create may have acted (api/create_evidence.go) and the host had none before it.
func (cr *creation) conflict(ctx context.Context, ex *ExistingIntegrationError) (*Integration, error) {
	switch {
	case !cr.ev.MayHaveActed() || (cr.known && ex.ID == cr.prior):
		// Immuta acted on none of this create's attempts, or it held the host before:
		// someone else's, even if the snapshot showed the host free (a rival created
		// it meanwhile).
	case cr.known && cr.prior == "":
		in, err := cr.c.GetIntegration(ctx, ex.ID)
		switch {
		case err == nil && cr.mine(in):
			return cr.adopt(ctx, in, ex.Err)
		case err != nil:
			ex.Ambiguous = true // cannot tell
		}
	default:
		ex.Ambiguous = true
	}
	return nil, fmt.Errorf("%s: %w", cr.op, ex)
}

// lookup finds out what a create whose outcome was lost did. It returns the
// integration when it is this apply's, resend when nothing is on the host and the
// POST may be sent again (canResend and ctx alive), or an error.
func (cr *creation) lookup(ctx context.Context, cause error, canResend bool) (in *Integration, resend bool, err error) {
	c := cr.c
	lctx := ctx
	interrupted := ctx.Err() != nil
	if interrupted {
		var cancel context.CancelFunc
		lctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
	}
	var lastErr error
	for try := 1; try <= lookupTries; try++ {
		// Give a server still processing the lost request time to finish first.
		if serr := c.api.Sleep(lctx, c.api.Backoff(try)); serr != nil {
			lastErr = serr
			break
		}
		found, ferr := c.FindRedshiftIntegrationByHost(lctx, cr.host)
		switch {
		case ferr == nil && found != nil:
			return cr.found(ctx, found, cause)
		case ferr == nil && canResend && !interrupted && ctx.Err() == nil:
			return nil, true, nil
		case ferr != nil:
			lastErr = ferr
		default:
			lastErr = fmt.Errorf("no integration on host %q is listed", cr.host)
		}
	}
	return nil, false, fmt.Errorf("%s: %w; the outcome is unknown: Redshift host %q may now have an integration made by this request, and looking for it failed: %w",
		cr.op, cause, cr.host, lastErr)
}

func (cr *creation) found(ctx context.Context, found *Integration, cause error) (*Integration, bool, error) {
	id := found.ID.String()
	switch {
	case !cr.ev.MayHaveActed():
		// None of this create's attempts reached Immuta: whatever is there is not ours.
		return nil, false, fmt.Errorf("%s: %w", cr.op, &ExistingIntegrationError{ID: id, Host: cr.host, Err: cause})
	case cr.known && cr.prior == "" && cr.mine(found):
		in, err := cr.adopt(ctx, found, cause)
		return in, false, err
	case (cr.known && id == cr.prior) || !cr.mine(found):
		// It was there before this apply's POST, or it is not what this POST asked
		// for: someone else's.
		return nil, false, fmt.Errorf("%s: %w", cr.op, &ExistingIntegrationError{ID: id, Host: cr.host, Err: cause})
	}
	return nil, false, fmt.Errorf("%s: %w", cr.op, &ExistingIntegrationError{ID: id, Host: cr.host, Ambiguous: true, Err: cause})
}

// Wait is WaitForIntegration(ctx, id, OpCreate) for the integration the create
// made, which also checks that each look is about an integration on the create's
// host: a cached or misrouted create answer can name another integration (someone
// else's, or another create's). When a look is about another host, or says 404, the
// create's answer counts as lost (it proves nothing), and the integration this create
// made is looked up by host (as for a lost answer) and waited for instead; one
// adopted so sets Adopted. It returns the id it ended with, which the caller records
// even when the wait fails; "" means the id named was not this create's and none was
// found: record nothing.
func (cn *Creation) Wait(ctx context.Context, opts ...WaitOption) (string, *Integration, error) {
	cr := cn.cr
	c, host, id := cr.c, cr.host, cn.Integration.ID.String()
	for try := 0; ; try++ {
		what := fmt.Sprintf("wait for integration %s to %s", id, OpCreate)
		decide := c.waitDecide(id, OpCreate, what)
		elsewhere := false
		in, err := c.pollIntegration(ctx, id, what, OpCreate, waitOptionsOf(opts).history, func(in *Integration, err error) (bool, *Integration, error) {
			if (err == nil && api.CheckCreated(in, host) != nil) || (err != nil && IsNotFound(err)) {
				elsewhere = true
				return true, nil, nil
			}
			return decide(in, err)
		})
		if !elsewhere {
			return id, in, err
		}
		cause := fmt.Errorf("the create answer named integration %s, which is not on host %q", id, host)
		cr.ev.AnswerLost(cause)
		found, _, lerr := cr.lookup(ctx, cause, false)
		if lerr != nil || found == nil || try >= 2 {
			if lerr == nil {
				lerr = fmt.Errorf("create integration: %w", cause)
			}
			cn.Integration = nil // the id named is not this create's
			return "", nil, lerr
		}
		id = found.ID.String()
		cn.Integration = found
		if cr.adopted {
			cn.Adopted, cn.Cause = true, cause.Error()
		}
	}
}

// Before its first POST a create learns which Redshift hosts already have an
// integration, so that when the POST's outcome is lost (an answer cut short, a 5xx
// after Immuta acted, a hang, an interrupt) the integration found on the host
// afterwards can be told apart: one that was not there before this POST is this
// apply's, and is recorded; one that was there is someone else's, and is never
// adopted.
//
// It costs at most one GET /integrations per wave of creates, not one per create:
// the snapshot is a round of the Client's one lister (lister.go), and creates that
// start within snapFresh of each other share it, as do the waits in progress (a list
// the waits sent just before a create starts, as when the previous wave's waits end
// and the next wave's creates begin, is its snapshot). A round older than snapFresh
// is not relied on: the longer the gap between the snapshot and the POST, the
// likelier someone else created an integration in it.
//
// The size rule of the lister does not stop a snapshot: the API has no filter, so the
// only evidence of which hosts were held before a POST is a full list, and a create
// without it could not prove a lost outcome its own. In a large tenant (100 000
// integrations of other types) a snapshot is therefore the one list an apply pays
// for, once per wave; it is made cheap instead (only Redshift entries are decoded,
// api/list_skim.go), and it teaches the lister the tenant's size, so that the waits
// that follow look by id rather than list again.

// snapFresh is how old a snapshot may be, from when its request left, for a create
// starting now to rely on it. Terraform starts a wave's creates within milliseconds.
const snapFresh = 2 * time.Second

// snapWait bounds how long a create waits for its snapshot: a list that hangs must
// not hold every create. Past it the create is sent without one, and an outcome it
// then loses cannot be proven its own (errSnapshotSlow).
const snapWait = 10 * time.Second

var errSnapshotSlow = errors.New("the list of integrations is slow to answer")

// snapTries is how many snapshots a create tries before it gives up without sending
// anything (each list is itself retried by the API layer).
const snapTries = 3

// hostsBefore returns a round of the lister sent no more than snapFresh before now,
// whose hosts say which Redshift hosts were held.
func (c *Client) hostsBefore(ctx context.Context) (*round, error) {
	sctx, cancel := context.WithTimeoutCause(ctx, c.snapWait, errSnapshotSlow)
	defer cancel()
	var err error
	for try := 0; try < snapTries; try++ {
		var r *round
		r, err = c.lists.fresh(sctx, time.Now().Add(-snapFresh))
		switch {
		case err == nil:
			return r, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case sctx.Err() != nil:
			return nil, errSnapshotSlow
		}
		if serr := c.api.Sleep(sctx, c.api.Backoff(try+1)); serr != nil {
			if ctx.Err() == nil && sctx.Err() != nil {
				return nil, errSnapshotSlow
			}
			return nil, errors.Join(err, serr)
		}
	}
	return nil, err
}
