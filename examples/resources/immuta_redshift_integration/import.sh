# Adopt an existing integration by its Immuta id.
terraform import immuta_redshift_integration.main 123456789
