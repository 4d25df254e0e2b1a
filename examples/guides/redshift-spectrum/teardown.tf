# Before terraform destroy: the delete script removes Immuta's objects from
# Redshift (terraform apply -var run_delete_script=true).
ephemeral "immuta_integration_script" "delete" {
  count = var.run_delete_script ? 1 : 0

  action         = "delete"
  integration_id = immuta_redshift_integration.main.id
}

resource "terraform_data" "delete_script" {
  count = var.run_delete_script ? 1 : 0

  provisioner "local-exec" {
    command = local.run_script
    environment = merge(local.psql_env, {
      PGDATABASE    = var.database
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.delete[0].script
    })
  }
}

# After a failed creation: the cleanup script removes whatever the attempt
# left in Redshift. It needs no integration id, only the configuration.
ephemeral "immuta_integration_script" "cleanup" {
  count = var.run_cleanup_script ? 1 : 0

  action           = "cleanup"
  host             = local.connection.host
  port             = local.connection.port
  database         = local.connection.database
  initial_database = local.connection.initial_database
  username         = local.connection.username
  password         = var.system_password
  impersonation    = local.connection.impersonation
}

resource "terraform_data" "cleanup_script" {
  count = var.run_cleanup_script ? 1 : 0

  provisioner "local-exec" {
    command = local.run_script
    environment = merge(local.psql_env, {
      PGDATABASE    = var.database
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.cleanup[0].script
    })
  }
}
