// Package provider maps Terraform's schema onto the Immuta client: the
// provider, the immuta_redshift_integration resource, and the
// immuta_integration_script data source and ephemeral resource.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/immuta/immuta"

// Environment variables read when the provider block leaves an attribute
// out. The names match Immuta's earlier provider so that users keep their
// settings.
const (
	EnvHost          = "IMMUTA_HOST"
	EnvAPIToken      = "IMMUTA_API_TOKEN"
	EnvCACertificate = "IMMUTA_CA_CERTIFICATE"
)

var (
	_ provider.Provider                       = (*immutaProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*immutaProvider)(nil)
	_ provider.ProviderWithListResources      = (*immutaProvider)(nil)
)

type immutaProvider struct {
	version string
}

type providerModel struct {
	Host          types.String `tfsdk:"host"`
	APIToken      types.String `tfsdk:"api_token"`
	CACertificate types.String `tfsdk:"ca_certificate"`
}

// New returns a constructor of the provider, as providerserver.Serve wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &immutaProvider{version: version} }
}

func (p *immutaProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "immuta"
	resp.Version = p.version
}

func (p *immutaProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Immuta integrations through Immuta's Integrations API.",
		Attributes: map[string]schema.Attribute{
			"host": schema.StringAttribute{
				MarkdownDescription: "URL of the Immuta tenant root, such as `https://acme.immuta.com`, without a path. A bare host name means https. " +
					"An explicit `http://` URL is accepted (a warning is given unless it is a loopback address). " +
					"Must be " + immutaURLRule + "; an error never repeats the value. " +
					"Can also be set with the `" + EnvHost + "` environment variable, which meets the same rule.",
				Optional:   true,
				Validators: []validator.String{immutaURLValidator{}},
			},
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Immuta API key of a user with the `APPLICATION_ADMIN` permission. " +
					"Must be " + secretRule + "; an error names the attribute, never its value. " +
					"Can also be set with the `" + EnvAPIToken + "` environment variable, which meets the same rule.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{secretValidator{}},
			},
			"ca_certificate": schema.StringAttribute{
				MarkdownDescription: "One or more PEM-encoded certificates of a private certificate authority to trust, for self-managed tenants: " +
					"the certificates themselves, not a file path (use `file()`). " +
					"Can also be set with the `" + EnvCACertificate + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{caCertValidator{}},
			},
		},
	}
}

func (p *immutaProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, v := range map[string]types.String{"host": cfg.Host, "api_token": cfg.APIToken, "ca_certificate": cfg.CACertificate} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown "+attr,
				"The provider's "+attr+" depends on a value that is not known until apply. Set it to a known value or use the environment variable.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	host := stringOrEnv(cfg.Host, EnvHost)
	token := stringOrEnv(cfg.APIToken, EnvAPIToken)
	caCert := stringOrEnv(cfg.CACertificate, EnvCACertificate)
	if host == "" {
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Missing Immuta host",
			"Set host in the provider block or the "+EnvHost+" environment variable to the URL of your Immuta tenant.")
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Missing Immuta API token",
			"Set api_token in the provider block or the "+EnvAPIToken+" environment variable to an Immuta API key.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// The block's values met these rules at validation; the environment's
	// meet them here, with the same words.
	checkSetting(cfg.Host, "host", EnvHost, host, immutaURLProblem, "Invalid Immuta host", &resp.Diagnostics)
	checkSetting(cfg.APIToken, "api_token", EnvAPIToken, token, secretProblem, "Invalid Immuta API token", &resp.Diagnostics)
	if caCert != "" {
		checkSetting(cfg.CACertificate, "ca_certificate", EnvCACertificate, caCert, caCertProblem, "Invalid CA certificate", &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	baseURL, err := client.NormalizeBaseURL(host)
	if err != nil {
		// Its error quotes the value, which may come from a sensitive variable.
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Invalid Immuta host", "host is not a URL of an Immuta tenant, such as https://acme.immuta.com.")
		return
	}
	if insecureRemote(baseURL) {
		resp.Diagnostics.AddAttributeWarning(path.Root("host"), "Unencrypted connection to Immuta",
			"host uses http:// for a host that is not a loopback address: the API token crosses the network in clear text. Use https:// unless you are talking to an emulator on this machine.")
	}

	c, err := client.New(client.Config{Connection: client.Connection{
		BaseURL:   baseURL,
		APIToken:  token,
		UserAgent: fmt.Sprintf("terraform-provider-immuta/%s (+https://%s)", p.version, Address),
		CACertPEM: caCert,
		Logger:    httpLogger{token: token},
	}})
	switch {
	case errors.Is(err, client.ErrInvalidCACert):
		resp.Diagnostics.AddAttributeError(path.Root("ca_certificate"), "Invalid CA certificate",
			"ca_certificate must hold one or more PEM-encoded certificates (-----BEGIN CERTIFICATE-----), not a file path: use file().")
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to create the Immuta client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Immuta client", map[string]any{"host": baseURL})
	resp.ResourceData = c
	resp.DataSourceData = c
	resp.EphemeralResourceData = c
	resp.ListResourceData = c
}

func (p *immutaProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewRedshiftIntegrationResource}
}

func (p *immutaProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewRedshiftIntegrationList}
}

func (p *immutaProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewIntegrationScriptDataSource, NewRedshiftIntegrationDataSource}
}

func (p *immutaProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewIntegrationScriptEphemeralResource}
}

// checkSetting reports a problem of a provider setting under the name it
// was given by: the attribute, or its environment variable.
func checkSetting(v types.String, attr, env, value string, problem func(string) string, summary string, diags *diag.Diagnostics) {
	p := problem(value)
	if p == "" {
		return
	}
	name := attr
	if v.IsNull() || v.ValueString() == "" {
		name = "The " + env + " environment variable"
	}
	diags.AddAttributeError(path.Root(attr), summary, name+" "+p)
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// insecureRemote reports an http:// URL whose host is not a loopback
// address: the only place where plain http is expected is a local emulator.
func insecureRemote(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return false
	}
	ip := net.ParseIP(h)
	return ip == nil || !ip.IsLoopback()
}
