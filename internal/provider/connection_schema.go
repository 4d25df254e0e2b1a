package provider

// Descriptions of the connection attributes, shared by the resource, the
// data source and the ephemeral resource so that the docs say one thing.
var connDesc = map[string]string{
	"host": "Host name of the Amazon Redshift endpoint, such as `acme.abc123.us-east-1.redshift.amazonaws.com`, " +
		"without scheme, port or path.",
	"port":     "Port of the Redshift endpoint. Between 1 and 65535; Immuta uses 5439 when it is not set.",
	"database": "Existing or new Redshift database that Immuta manages and stores its metadata in.",
	"initial_database": "Existing database to connect to first when `database` does not exist yet: Immuta creates `database` " +
		"from it with `auto_bootstrap = true`, or you run the `initial-create` script in it.",
	"auto_bootstrap": "`true`: Immuta runs the bootstrap script itself with the privileged credentials given here. " +
		"`false` (default): you run the scripts that Immuta generates (see `immuta_integration_script`).",
	"script.auto_bootstrap": "The integration's `auto_bootstrap`, so that the script matches its configuration; usually `false`.",
	"authentication_type":   "How Immuta authenticates to Redshift: `userPassword` (default) or `accessKey`.",
	"username":              "The system account's user name. Required with `userPassword`.",
	"password":              "The system account's password. Required with `userPassword`.",
	"database_user":         "The Redshift database user that the access key acts as. Required with `accessKey`.",
	"access_key_id":         "The AWS access key ID. Required with `accessKey`.",
	"secret_key":            "The AWS secret access key. Required with `accessKey`.",
	"session_token":         "The AWS session token of temporary credentials; optional, with `accessKey` only.",
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
