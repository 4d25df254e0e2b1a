# User name and password, the password write-only: sent to Immuta, never
# stored in the plan or state (Terraform 1.11 or later).
#
# Run Immuta's setup script in Redshift before creating the integration: see
# the immuta_integration_script ephemeral resource.
resource "immuta_redshift_integration" "main" {
  host     = "acme.abc123.us-east-1.redshift.amazonaws.com"
  port     = 5439
  database = "immuta"

  username            = "immuta_system"
  password_wo         = var.immuta_system_password
  password_wo_version = 1 # bump to send a new password

  impersonation = {
    enabled = true
    role    = "immuta_impersonation"
  }

  timeouts = {
    create = "45m"
    read   = "10m" # a refresh fails after this long without an answer; default 5m
  }
}
