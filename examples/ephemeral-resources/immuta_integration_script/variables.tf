# Variables of the examples on this page (not part of the rendered examples).

variable "immuta_system_password" {
  description = "Password of Immuta's system account in Redshift."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "redshift_admin_username" {
  description = "Redshift user that runs Immuta's scripts."
  type        = string
}

variable "redshift_admin_password" {
  description = "Password of redshift_admin_username."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "run_delete_script" {
  description = "Run the delete script of the integration (before terraform destroy)."
  type        = bool
  default     = false
}
