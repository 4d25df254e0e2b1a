# Every Redshift integration in use (terraform query, Terraform >= 1.14).
list "immuta_redshift_integration" "all" {
  provider = immuta
}

# With the values -generate-config-out writes, in one region.
list "immuta_redshift_integration" "eu_west" {
  provider         = immuta
  include_resource = true

  config {
    host_pattern = "*.eu-west-1.redshift.amazonaws.com"
  }
}

# The integrations that need attention.
list "immuta_redshift_integration" "failing" {
  provider = immuta

  config {
    statuses = ["createError", "editError", "recurringValidationError"]
  }
}
