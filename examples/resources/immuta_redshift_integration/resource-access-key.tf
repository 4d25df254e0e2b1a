# An AWS access key that acts as a Redshift database user. The secret key is
# write-only; add session_token_wo (and session_token_wo_version) for
# temporary credentials.
resource "immuta_redshift_integration" "access_key" {
  host                = "analytics.def456.eu-west-1.redshift.amazonaws.com"
  database            = "immuta"
  authentication_type = "accessKey"

  database_user         = "immuta_system"
  access_key_id         = var.aws_access_key_id
  secret_key_wo         = var.aws_secret_access_key
  secret_key_wo_version = 1
}
