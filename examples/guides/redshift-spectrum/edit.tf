# The edit script moves Redshift to a new configuration of the integration.
# It is generated from the new values and the integration's id, and runs
# before the integration is updated. The id comes from a variable rather than
# from immuta_redshift_integration.main.id: the integration depends on this
# script, so the script cannot depend on the integration.
ephemeral "immuta_integration_script" "edit" {
  count = var.integration_id == null ? 0 : 1

  action           = "edit"
  integration_id   = var.integration_id
  host             = local.connection.host
  port             = local.connection.port
  database         = local.connection.database
  initial_database = local.connection.initial_database
  username         = local.connection.username
  password         = var.system_password
  impersonation    = local.connection.impersonation
}

resource "terraform_data" "edit_script" {
  count = var.integration_id == null ? 0 : 1

  # A new configuration, or a new password, replaces this resource, which
  # runs the script again.
  triggers_replace = [local.connection, var.system_password_version]

  provisioner "local-exec" {
    command = local.run_script
    environment = merge(local.psql_env, {
      PGDATABASE    = var.database
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.edit[0].script
    })
  }
}
