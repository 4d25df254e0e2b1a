package provider

// Descriptions of the connection attributes, shared by the resource, the
// data source and the ephemeral resource so that the docs say one thing.
var connDesc = map[string]string{
	"host": "Host name of the Amazon Redshift endpoint, such as `acme.abc123.us-east-1.redshift.amazonaws.com`, " +
		"without scheme, port or path.",
	"port":     "Port of the Redshift endpoint. Between 1 and 65535; Immuta uses 5439 when it is not set.",
	"database": "Existing or new Redshift database that Immuta manages and stores its metadata in.",
	"initial_database": "Existing database that Immuta connects to first when it creates `database` itself " +
		"(with `auto_bootstrap`).",
	"auto_bootstrap": "`true`: Immuta runs the bootstrap script itself with the privileged credentials given here. " +
		"`false` (default): you run the scripts that Immuta generates (see `immuta_integration_script`).",
	"authentication_type":   "How Immuta authenticates to Redshift: `userPassword` (default) or `accessKey`.",
	"username":              "With `userPassword`: the system account's user name. Immuta never returns it (it answers `<REDACTED>`).",
	"password":              "With `userPassword`: the system account's password.",
	"database_user":         "With `accessKey`: the Redshift database user that the access key acts as.",
	"access_key_id":         "With `accessKey`: the AWS access key ID.",
	"secret_key":            "With `accessKey`: the AWS secret access key.",
	"session_token":         "With `accessKey`, optional: the AWS session token of temporary credentials.",
	"impersonation":         "User impersonation in Redshift. Once the integration is enabled you can grant Immuta users the `IMPERSONATE_USER` permission.",
	"impersonation.enabled": "Whether user impersonation is enabled.",
	"impersonation.role":    "Name of the role that Immuta creates for impersonation.",
}

// connectionAttrNames lists the connection attributes in schema order; the
// data source and the ephemeral resource build their schemas from it.
var connectionAttrNames = []string{
	"host", "port", "database", "initial_database", "auto_bootstrap", "authentication_type",
	"username", "password", "database_user", "access_key_id", "secret_key", "session_token",
}

// sensitiveConnAttrs are the credentials: never shown in plans or logs.
var sensitiveConnAttrs = map[string]bool{
	"password": true, "access_key_id": true, "secret_key": true, "session_token": true,
}
