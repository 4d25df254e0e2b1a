variable "redshift_host" {
  description = "Host name of the Redshift endpoint, without scheme or port."
  type        = string
}

variable "redshift_port" {
  description = "Port of the Redshift endpoint."
  type        = number
  default     = 5439
}

variable "database" {
  description = "Database that Immuta manages: an existing one holding your external tables, or a new one."
  type        = string
  default     = "immuta"
}

variable "initial_database" {
  description = "Set it when var.database does not exist yet: the existing database in which the initial-create script creates it."
  type        = string
  default     = null
}

variable "system_username" {
  description = "Immuta's system account in Redshift, which the setup script creates."
  type        = string
  default     = "immuta_system"
}

variable "system_password" {
  description = "Password of the system account. Ephemeral: never in the plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "system_password_version" {
  description = "Bump it together with system_password to change the password."
  type        = number
  default     = 1
}

variable "impersonation" {
  description = "User impersonation; role defaults to Immuta's own name."
  type = object({
    enabled = bool
    role    = optional(string)
  })
  default = { enabled = false }
}

variable "admin_username" {
  description = "Redshift user that runs Immuta's scripts (see the permissions above)."
  type        = string
}

variable "admin_password" {
  description = "Password of admin_username."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "integration_id" {
  description = "Id of the integration once it exists (terraform output integration_id); needed for edit scripts."
  type        = string
  default     = null
}

variable "run_delete_script" {
  description = "Run the delete script, before terraform destroy."
  type        = bool
  default     = false
}

variable "run_cleanup_script" {
  description = "Run the cleanup script, after a failed creation."
  type        = bool
  default     = false
}
