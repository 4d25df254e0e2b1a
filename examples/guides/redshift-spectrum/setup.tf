locals {
  # What Immuta is told about Redshift: every script and the integration
  # itself get the same values.
  connection = {
    host             = var.redshift_host
    port             = var.redshift_port
    database         = var.database
    initial_database = var.initial_database
    username         = var.system_username
    impersonation    = var.impersonation
  }

  # Runs the SQL in $IMMUTA_SCRIPT with psql. The script never appears on a
  # command line (printf is a shell builtin); ON_ERROR_STOP makes the apply
  # fail on the first failing statement.
  run_script = "printf '%s\\n' \"$IMMUTA_SCRIPT\" | psql --no-psqlrc --quiet --set ON_ERROR_STOP=1"

  # libpq settings for psql. PGPASSWORD is ephemeral, and so is this map.
  psql_env = {
    PGHOST     = var.redshift_host
    PGPORT     = tostring(var.redshift_port)
    PGUSER     = var.admin_username
    PGPASSWORD = var.admin_password
    PGSSLMODE  = "require"
  }
}

# Only when Immuta's database is new: the script that creates it, run in the
# existing initial_database.
ephemeral "immuta_integration_script" "initial_create" {
  count = var.initial_database == null ? 0 : 1

  action           = "initial-create"
  host             = local.connection.host
  port             = local.connection.port
  database         = local.connection.database
  initial_database = local.connection.initial_database
  username         = local.connection.username
  password         = var.system_password
  impersonation    = local.connection.impersonation
}

resource "terraform_data" "initial_create_script" {
  count = var.initial_database == null ? 0 : 1

  provisioner "local-exec" {
    command = local.run_script
    environment = merge(local.psql_env, {
      PGDATABASE    = var.initial_database
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.initial_create[0].script
    })
  }
}

# The setup script: Immuta's system account, schemas and grants, run in
# Immuta's database.
ephemeral "immuta_integration_script" "create" {
  action           = "create"
  host             = local.connection.host
  port             = local.connection.port
  database         = local.connection.database
  initial_database = local.connection.initial_database
  username         = local.connection.username
  password         = var.system_password
  impersonation    = local.connection.impersonation
}

resource "terraform_data" "setup_script" {
  provisioner "local-exec" {
    command = local.run_script
    environment = merge(local.psql_env, {
      PGDATABASE    = var.database
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.create.script
    })
  }

  depends_on = [terraform_data.initial_create_script]
}
