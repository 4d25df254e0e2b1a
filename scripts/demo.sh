#!/usr/bin/env bash
# make demo: the whole job against the emulator, with a Terraform CLI
# configuration of its own (never the user's ~/.terraformrc).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

tf=$(scripts/terraform-cli.sh)
demo_workdir immuta-demo
demo_install registry.terraform.io registry.opentofu.org
export TF_DATA_DIR="$work/.terraform"

say "Starting the Immuta emulator on a free loopback port"
demo_emulator -transition 2s
echo "emulator at $url"

cp examples/quickstart/*.tf "$work/"
cd "$work"
export TF_VAR_immuta_host="$url" TF_VAR_immuta_api_token="$api_key" TF_VAR_redshift_password="demo-Redshift-pw-1"

say "terraform init (provider from the local build, $("$tf" version | head -n1))"
"$tf" init -no-color >/dev/null
say "terraform apply: generate the setup script, then create the integration and wait until it is enabled"
"$tf" apply -auto-approve -no-color
say "The integration in state"
echo "id:     $("$tf" output -raw integration_id)"
echo "status: $("$tf" output -raw integration_status)"
if grep -q "demo-Redshift-pw-1" terraform.tfstate; then
  echo "FAIL: the write-only password reached the state file" >&2; exit 1
fi
echo "the write-only password is not in the state file"
say "terraform plan again: nothing to change"
"$tf" plan -detailed-exitcode -no-color
say "terraform destroy"
"$tf" destroy -auto-approve -no-color
left=$(curl -fsS "$url/_emulator/integrations" 2>/dev/null || echo '?')
echo "integrations left in the emulator: $left"
say "Stopping the emulator. Demo finished."
