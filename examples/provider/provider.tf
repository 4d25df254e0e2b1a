terraform {
  required_version = ">= 1.11"

  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "~> 0.1"
    }
  }
}

# The API key is a secret: pass it in a variable (for example through the
# TF_VAR_immuta_api_token environment variable) or leave api_token out and
# set IMMUTA_API_TOKEN. Never write it in a .tf file.
provider "immuta" {
  host      = var.immuta_host
  api_token = var.immuta_api_token
}

variable "immuta_host" {
  description = "URL of the Immuta tenant, such as https://acme.immuta.com."
  type        = string
}

# Ephemeral (Terraform 1.10 or later): kept out of saved plan files too.
variable "immuta_api_token" {
  description = "API key of an Immuta user with the APPLICATION_ADMIN permission."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# Alternatively, configure the provider entirely from the environment and
# leave the provider block empty (or out):
#
#   export IMMUTA_HOST="https://acme.immuta.com"
#   export IMMUTA_API_TOKEN="..."                        # from your secret store
#   export IMMUTA_CA_CERTIFICATE="$(cat immuta-ca.pem)"  # private CA only
#
#   provider "immuta" {}
