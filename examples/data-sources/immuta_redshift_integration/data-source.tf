# An integration that another configuration (or Immuta's UI) manages, by its
# Redshift host (compared without case)...
data "immuta_redshift_integration" "sales" {
  host = "sales.abc123.eu-west-1.redshift.amazonaws.com"
}

# ...or by its Immuta id.
data "immuta_redshift_integration" "finance" {
  id = "123456789"
}

# Stop before changing anything that depends on an integration that is not
# working.
check "sales_integration_enabled" {
  assert {
    condition     = data.immuta_redshift_integration.sales.status == "enabled"
    error_message = "The Redshift integration on the sales cluster is ${data.immuta_redshift_integration.sales.status}, not enabled."
  }
}

output "finance_database" {
  value = data.immuta_redshift_integration.finance.database
}
