# The delete script of an existing integration removes Immuta's objects from
# Redshift: run it before `terraform destroy` removes the integration from
# Immuta. Generated only when asked for: terraform apply -var run_delete_script=true
ephemeral "immuta_integration_script" "delete" {
  count = var.run_delete_script ? 1 : 0

  action         = "delete"
  integration_id = immuta_redshift_integration.main.id
}

resource "terraform_data" "immuta_delete" {
  count = var.run_delete_script ? 1 : 0

  provisioner "local-exec" {
    command = "printf '%s\\n' \"$IMMUTA_SCRIPT\" | psql --no-psqlrc --quiet --set ON_ERROR_STOP=1"
    environment = {
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.delete[0].script
      PGHOST        = "acme.abc123.us-east-1.redshift.amazonaws.com"
      PGPORT        = "5439"
      PGDATABASE    = "immuta"
      PGUSER        = var.redshift_admin_username
      PGPASSWORD    = var.redshift_admin_password
      PGSSLMODE     = "require"
    }
  }
}
