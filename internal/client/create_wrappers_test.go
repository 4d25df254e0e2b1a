package client

import (
	"context"
	"sync"

	"github.com/immuta/terraform-provider-immuta/internal/client/api"
)

// CreateIntegration and WaitForCreated are the two-call shape of StartCreate and
// Creation.Wait that many tests were written against: the create's POST, then its
// wait, knowing only the id. They live here, not in the client, so that the client
// carries a create's knowledge in its Creation handle and keeps no map by host.

type createdKey struct {
	c    *Client
	host string
}

// testCreated is what CreateIntegration learned of each host's holder.
var testCreated sync.Map // createdKey → *creation

// CreateIntegration is StartCreate whose host claim ends with the POST.
func (c *Client) CreateIntegration(ctx context.Context, p Payload) (*Integration, error) {
	cn, err := c.StartCreate(ctx, p)
	if err != nil {
		return nil, err
	}
	cn.Done()
	testCreated.Store(createdKey{c, api.NormalizeHost(p.Config.Host)}, cn.cr)
	return cn.Integration, nil
}

// WaitForCreated is Creation.Wait for the integration CreateIntegration(p) returned
// as id: what the create knew of the host's holder, with fresh evidence.
func (c *Client) WaitForCreated(ctx context.Context, id string, p Payload) (string, *Integration, error) {
	cr := &creation{c: c, op: "create integration", host: p.Config.Host, want: p, ev: &api.AttemptEvidence{}}
	if v, ok := testCreated.Load(createdKey{c, api.NormalizeHost(p.Config.Host)}); ok {
		made := v.(*creation)
		cr.prior, cr.known = made.prior, made.known
	}
	cn := &Creation{Integration: &Integration{ID: api.ID(id)}, cr: cr}
	return cn.Wait(ctx)
}

// priorFor is what CreateIntegration's create knew of host's holder before its POST.
func (c *Client) priorFor(host string) (string, bool) {
	v, ok := testCreated.Load(createdKey{c, api.NormalizeHost(host)})
	if !ok {
		return "", false
	}
	made := v.(*creation)
	return made.prior, made.known
}
