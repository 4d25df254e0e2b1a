package provider

// Descriptions of the connection attributes, shared by the resource, the
// data source and the ephemeral resource so that the docs say one thing.
var connDesc = map[string]string{
	"host": "Host name of the Amazon Redshift endpoint, such as `acme.abc123.us-east-1.redshift.amazonaws.com`: " +
		redshiftHostRule + ". Compared as a DNS name: an answer from Immuta in another case (or with a trailing dot) is no change.",
	"port": "Port of the Redshift endpoint: " + portRule + ". Immuta uses 5439 when it is not set.",
	"database": "Existing or new Redshift database that Immuta manages and stores its metadata in. " + sqlNameRuleSentence +
		" Compared without case, as Redshift folds identifiers to lower case.",
	"initial_database": "Existing database to connect to first when `database` does not exist yet: Immuta creates `database` " +
		"from it with `auto_bootstrap = true`, or you run the `initial-create` script in it. " + sqlNameRuleSentence,
	"auto_bootstrap": "`true`: Immuta runs the bootstrap script itself with the privileged credentials given here. " +
		"`false` (default): you run the scripts that Immuta generates (see `immuta_integration_script`).",
	"script.auto_bootstrap": "The integration's `auto_bootstrap`, so that the script matches its configuration; usually `false`.",
	"authentication_type":   "How Immuta authenticates to Redshift: `userPassword` (default) or `accessKey`.",
	"username": "The system account's user name, such as `immuta_system` or `taylor@redshift.com`. Required with `userPassword`. " +
		sqlNameRuleSentence,
	"password":              "The system account's password. Required with `userPassword`. " + secretRuleSentence,
	"database_user":         "The Redshift database user that the access key acts as. Required with `accessKey`. " + sqlNameRuleSentence,
	"access_key_id":         "The AWS access key ID. Required with `accessKey`. " + secretRuleSentence,
	"secret_key":            "The AWS secret access key. Required with `accessKey`. " + secretRuleSentence,
	"session_token":         "The AWS session token of temporary credentials; optional, with `accessKey` only. " + secretRuleSentence,
	"impersonation":         "User impersonation in Redshift. Once the integration is enabled you can grant Immuta users the `IMPERSONATE_USER` permission.",
	"impersonation.enabled": "Whether user impersonation is enabled.",
	"impersonation.role":    "Name of the role that Immuta creates for impersonation; only with `enabled = true`. " + sqlNameRuleSentence,
}

// The rules as sentences, for descriptions that say more before them.
const (
	sqlNameRuleSentence = "Must be " + sqlNameRule + "."
	secretRuleSentence  = "Must be " + secretRule + "; an error names the attribute, never its value."
)

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
