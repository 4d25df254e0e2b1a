import {
  to = immuta_redshift_integration.main
  id = "123456789"
}
