# Lets `terraform validate` run in this directory (scripts/validate-examples.sh);
# not part of the rendered examples.
terraform {
  required_version = ">= 1.0"

  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}
