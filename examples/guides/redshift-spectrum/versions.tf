terraform {
  # Write-only attributes need Terraform 1.11; ephemeral resources and
  # ephemeral variables, 1.10.
  required_version = ">= 1.11"

  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "~> 0.1"
    }
  }
}

# Configured from IMMUTA_HOST and IMMUTA_API_TOKEN.
provider "immuta" {}
