# Quickstart: generate the setup script for Redshift, then register the
# integration in Immuta and wait until it is enabled.
terraform {
  required_version = ">= 1.11"
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}

provider "immuta" {
  host      = var.immuta_host
  api_token = var.immuta_api_token
}

locals {
  connection = {
    host     = var.redshift_host
    database = var.redshift_database
    username = var.redshift_username
  }
}

# The script that sets up Immuta's objects in Redshift. Ephemeral: it can
# hold the system account's password, so it is never written to state.
ephemeral "immuta_integration_script" "setup" {
  action   = "create"
  host     = local.connection.host
  database = local.connection.database
  username = local.connection.username
  password = var.redshift_password
}

# Runs the setup script once, before the integration is registered. With
# psql_command empty (the demo) it only counts the script's lines.
resource "terraform_data" "setup_script" {
  input = local.connection

  provisioner "local-exec" {
    command = var.psql_command == "" ? "echo \"setup script: $(printf '%s\\n' \"$IMMUTA_SCRIPT\" | wc -l) lines (set psql_command to run it)\"" : "printf '%s' \"$IMMUTA_SCRIPT\" | ${var.psql_command}"
    environment = {
      IMMUTA_SCRIPT = ephemeral.immuta_integration_script.setup.script
    }
  }
}

resource "immuta_redshift_integration" "main" {
  host                = local.connection.host
  database            = local.connection.database
  username            = local.connection.username
  password_wo         = var.redshift_password
  password_wo_version = 1

  impersonation = {
    enabled = false
  }

  # Created only once the setup script exists.
  depends_on = [terraform_data.setup_script]
}

output "integration_id" {
  value = immuta_redshift_integration.main.id
}

output "integration_status" {
  value = immuta_redshift_integration.main.status
}
