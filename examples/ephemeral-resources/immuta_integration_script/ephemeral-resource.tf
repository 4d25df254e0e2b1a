# The setup script, generated whenever Terraform needs it and never written
# to the plan or state: it can contain the system account's password.
ephemeral "immuta_integration_script" "create" {
  action   = "create"
  host     = "acme.abc123.us-east-1.redshift.amazonaws.com"
  database = "immuta"
  username = "immuta_system"
  password = var.immuta_system_password
}

# Runs the script once with psql, as a Redshift user allowed to set up
# Immuta. The script travels in an environment variable, never on a command
# line: printf is a shell builtin, so it does not show in the process list.
# Terraform hides the output, which would show secrets; ON_ERROR_STOP makes
# the apply fail on the first failing statement.
resource "terraform_data" "immuta_setup" {
  provisioner "local-exec" {
    command = "printf '%s\\n' \"$IMMUTA_SCRIPT\" | psql --no-psqlrc --quiet --set ON_ERROR_STOP=1"
    environment = {
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.create.script
      PGHOST        = "acme.abc123.us-east-1.redshift.amazonaws.com"
      PGPORT        = "5439"
      PGDATABASE    = "immuta"
      PGUSER        = var.redshift_admin_username
      PGPASSWORD    = var.redshift_admin_password
      PGSSLMODE     = "require"
    }
  }
}

# Registered in Immuta only once the setup script has run.
resource "immuta_redshift_integration" "main" {
  host                = "acme.abc123.us-east-1.redshift.amazonaws.com"
  database            = "immuta"
  username            = "immuta_system"
  password_wo         = var.immuta_system_password
  password_wo_version = 1

  depends_on = [terraform_data.immuta_setup]
}
