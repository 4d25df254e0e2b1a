# Variables of the examples on this page (not part of the rendered examples).

variable "immuta_system_password" {
  description = "Password of Immuta's system account in Redshift."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "aws_access_key_id" {
  description = "AWS access key ID that Immuta uses."
  type        = string
  sensitive   = true
}

variable "aws_secret_access_key" {
  description = "AWS secret access key that Immuta uses."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "redshift_admin_password" {
  description = "Password of the privileged Redshift user that Immuta bootstraps with."
  type        = string
  sensitive   = true
}
