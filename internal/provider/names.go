package provider

// Names that Immuta may answer in another spelling than they were sent
// (CONTRACT.md, "normalisation", [assumed]). A refresh keeps the spelling the user
// wrote when Immuta's means the same thing, and an update sends nothing for a
// difference of spelling alone: otherwise every plan would show
// ~ host "a6.example.com" -> "A6.Example.COM" and every apply send a PUT.
//
// Why here and not a custom string type with semantic equality: the framework
// applies semantic equality after Create, Read and Update only, not to the plan,
// so it would do what keepSpelling does in Read, and it would change the type of
// connectionModel's attributes, which the script data source and ephemeral resource
// share. Neither way helps an import: with no prior state, state takes Immuta's
// spelling, and the first apply after it writes the configured one into state
// without a request (changesIntegration compares normalised payloads).

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// sameHost compares DNS names: case never matters, nor does the trailing dot of a
// fully qualified name (RFC 4343).
func sameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// sameIdentifier compares Redshift identifiers (database, initial database,
// impersonation role). Redshift folds identifiers to lower case unless
// enable_case_sensitive_identifier is on; an Immuta that answers another case has
// folded the name itself, so sending the user's spelling again would change nothing.
func sameIdentifier(a, b string) bool { return strings.EqualFold(a, b) }

// keepSpelling is Immuta's value got, unless prior (the state's, as the user wrote
// it) means the same.
func keepSpelling(prior types.String, got string, same func(a, b string) bool) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && same(prior.ValueString(), got) {
		return prior
	}
	return types.StringValue(got)
}

// keepRoleSpelling keeps the prior impersonation role's spelling in an
// impersonation object read from Immuta.
func keepRoleSpelling(prior, got types.Object) types.Object {
	if prior.IsNull() || prior.IsUnknown() || got.IsNull() || got.IsUnknown() {
		return got
	}
	pr, _ := prior.Attributes()["role"].(types.String)
	gr, _ := got.Attributes()["role"].(types.String)
	if gr.IsNull() || gr.IsUnknown() {
		return got
	}
	kept := keepSpelling(pr, gr.ValueString(), sameIdentifier)
	if kept.Equal(gr) {
		return got
	}
	attrs := map[string]attr.Value{}
	for k, v := range got.Attributes() {
		attrs[k] = v
	}
	attrs["role"] = kept
	return types.ObjectValueMust(impersonationAttrTypes, attrs)
}

// normalisedNames is p with every name in the spelling Immuta may give it, so that
// two payloads that differ only in spelling compare equal.
func normalisedNames(p client.Payload) client.Payload {
	p.Config.Host = strings.TrimSuffix(strings.ToLower(p.Config.Host), ".")
	p.Config.Database = strings.ToLower(p.Config.Database)
	p.Config.InitialDatabase = strings.ToLower(p.Config.InitialDatabase)
	if p.Config.Impersonation != nil {
		imp := *p.Config.Impersonation
		imp.Role = strings.ToLower(imp.Role)
		p.Config.Impersonation = &imp
	}
	return p
}
