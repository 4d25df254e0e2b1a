# Several integrations at once (Terraform 1.7 or later for for_each in
# import blocks): one entry per integration, keyed by a name of your choice.
locals {
  redshift_integrations = {
    analytics = {
      id       = "1001"
      host     = "analytics.def456.eu-west-1.redshift.amazonaws.com"
      database = "immuta"
    }
    finance = {
      id       = "1002"
      host     = "finance.ghi789.us-west-2.redshift.amazonaws.com"
      database = "immuta_finance"
    }
  }
}

import {
  for_each = local.redshift_integrations
  to       = immuta_redshift_integration.this[each.key]
  id       = each.value.id
}

resource "immuta_redshift_integration" "this" {
  for_each = local.redshift_integrations

  host     = each.value.host
  database = each.value.database

  username            = "immuta_system"
  password_wo         = var.system_passwords[each.key]
  password_wo_version = 1
}

variable "system_passwords" {
  description = "Password of each integration's system account, by the keys of local.redshift_integrations."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}
