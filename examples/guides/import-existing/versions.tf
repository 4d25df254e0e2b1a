terraform {
  required_version = ">= 1.11"

  required_providers {
    immuta = {
      source  = "immuta/immuta"
      version = "~> 0.1"
    }
  }
}
