# all.tfquery.hcl: every Redshift integration of the tenant that is in use.
# include_resource = true gives -generate-config-out the values to write.
list "immuta_redshift_integration" "all" {
  provider         = immuta
  include_resource = true
}
