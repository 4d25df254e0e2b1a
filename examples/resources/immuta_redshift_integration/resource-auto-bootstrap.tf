# Immuta runs the setup itself with privileged credentials (auto_bootstrap),
# creating the database "immuta" from the existing database "dev".
#
# Immuta does not keep these credentials and asks for them again when the
# integration is deleted, so Terraform must keep them in state until destroy:
# use the sensitive password, not password_wo (refused with auto_bootstrap).
# Protect the state accordingly.
resource "immuta_redshift_integration" "bootstrapped" {
  host             = "sandbox.ghi789.us-west-2.redshift.amazonaws.com"
  database         = "immuta"
  initial_database = "dev"
  auto_bootstrap   = true

  username = "admin"
  password = var.redshift_admin_password
}
