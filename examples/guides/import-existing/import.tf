# Adopt integration 123456789. After `terraform apply` the import block has
# done its job and can be removed (or kept: it is ignored once imported).
import {
  to = immuta_redshift_integration.main
  id = "123456789"
}

resource "immuta_redshift_integration" "main" {
  # What Immuta reports for the integration (GET /integrations/123456789).
  host     = "acme.abc123.us-east-1.redshift.amazonaws.com"
  port     = 5439
  database = "immuta"

  # Must match the integration: changing it replaces the integration.
  auto_bootstrap = false

  impersonation = {
    enabled = false
  }

  # Immuta never returns credentials, so Terraform cannot read them: the
  # first apply sends these to Immuta.
  username            = "immuta_system"
  password_wo         = var.system_password
  password_wo_version = 1
}

variable "system_password" {
  description = "Current password of the integration's system account."
  type        = string
  sensitive   = true
  ephemeral   = true
}
