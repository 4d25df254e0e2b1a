variable "immuta_host" {
  description = "URL of the Immuta tenant (make demo points it at the emulator)."
  type        = string
}

variable "immuta_api_token" {
  description = "Immuta API key."
  type        = string
  sensitive   = true
}

variable "redshift_host" {
  description = "Host name of the Redshift endpoint."
  type        = string
  default     = "acme.abc123.us-east-1.redshift.amazonaws.com"
}

variable "redshift_database" {
  description = "Database that Immuta manages."
  type        = string
  default     = "immuta"
}

variable "redshift_username" {
  description = "Immuta's system account in Redshift."
  type        = string
  default     = "immuta_system"
}

variable "redshift_password" {
  description = "Password of the system account. Sent write-only: never stored in state."
  type        = string
  sensitive   = true
}

variable "psql_command" {
  description = "Command that runs SQL from standard input in Redshift, e.g. \"psql -h <host> -p 5439 -U admin -d immuta\". Empty: the script is only generated."
  type        = string
  default     = ""
}
