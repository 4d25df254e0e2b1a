# Variables of the example on this page (not part of the rendered example).

variable "immuta_system_password" {
  description = "Password of Immuta's system account in Redshift."
  type        = string
  sensitive   = true
}
