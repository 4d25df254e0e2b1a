# Prefer the ephemeral resource of the same name (Terraform 1.10 or later).
# This data source stores its arguments and the script in the state, and
# both hold the system account's password.
data "immuta_integration_script" "setup" {
  action   = "create"
  host     = "acme.abc123.us-east-1.redshift.amazonaws.com"
  database = "immuta"
  username = "immuta_system"
  password = var.immuta_system_password
}

# Hand the script to whoever runs it in Redshift:
#   terraform output -raw immuta_setup_script > setup.sql
output "immuta_setup_script" {
  value     = data.immuta_integration_script.setup.script
  sensitive = true
}
