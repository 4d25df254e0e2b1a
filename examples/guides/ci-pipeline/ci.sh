#!/usr/bin/env bash
# Plans and applies the Immuta configuration in ./immuta, from any CI system.
# The CI system provides these from its secret store, as masked variables:
#   IMMUTA_HOST, IMMUTA_API_TOKEN, TF_VAR_system_password, TF_VAR_admin_password
set -euo pipefail # and never `set -x`, which would print the secrets

: "${IMMUTA_HOST:?}" "${IMMUTA_API_TOKEN:?}"
: "${TF_VAR_system_password:?}" "${TF_VAR_admin_password:?}"

export TF_IN_AUTOMATION=1 # no "next, run terraform apply" advice in the log
export TF_INPUT=0         # fail on a missing variable instead of waiting for input

cd immuta
terraform init -input=false
terraform plan -input=false -out=tfplan

# The ephemeral variables (the passwords) are not saved in tfplan: the apply
# reads them from the environment again. On timeout, send SIGINT so that
# Terraform stops the waits and saves the state before exiting.
timeout --signal=INT --kill-after=5m 80m terraform apply -input=false tfplan
