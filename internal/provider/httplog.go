package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/client"
)

// httpSubsystem is the tflog subsystem of the client's HTTP traffic; its
// level can be set apart with TF_LOG_PROVIDER_IMMUTA_HTTP.
const httpSubsystem = "http"

// httpLogger forwards the client's entries to terraform-plugin-log. The
// client masks credentials and scripts itself; the token is masked here
// once more, in every form a server may echo it (client.SecretForms), so
// that no code path of the client can leak it.
type httpLogger struct {
	token string
}

func (l httpLogger) Log(ctx context.Context, level client.Level, msg string, fields map[string]any) {
	ctx = tflog.NewSubsystem(ctx, httpSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_IMMUTA_HTTP"))
	if l.token != "" {
		forms := client.SecretForms(l.token)
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, httpSubsystem, forms...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, httpSubsystem, forms...)
	}
	switch level {
	case client.LevelTrace:
		tflog.SubsystemTrace(ctx, httpSubsystem, msg, fields)
	case client.LevelInfo:
		tflog.SubsystemInfo(ctx, httpSubsystem, msg, fields)
	case client.LevelWarn:
		tflog.SubsystemWarn(ctx, httpSubsystem, msg, fields)
	default:
		tflog.SubsystemDebug(ctx, httpSubsystem, msg, fields)
	}
}
