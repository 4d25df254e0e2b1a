resource "immuta_redshift_integration" "main" {
  host             = local.connection.host
  port             = local.connection.port
  database         = local.connection.database
  initial_database = local.connection.initial_database
  impersonation    = local.connection.impersonation

  username            = local.connection.username
  password_wo         = var.system_password
  password_wo_version = var.system_password_version

  timeouts = {
    create = "45m"
    update = "45m"
  }

  # Registered, and later changed, only after Redshift is ready for it.
  depends_on = [terraform_data.setup_script, terraform_data.edit_script]
}

output "integration_id" {
  value = immuta_redshift_integration.main.id
}

output "integration_status" {
  value = immuta_redshift_integration.main.status
}
