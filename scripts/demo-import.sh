#!/usr/bin/env bash
# make demo-import: adopt every Redshift integration of a tenant with one
# query, one file of credentials and one apply, against the emulator, with
# Terraform 1.15 (built once by scripts/terraform-cli.sh --terraform-1.15)
# and a CLI configuration of its own (never the user's ~/.terraformrc).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
show() { printf '\n$ %s\n' "$*"; }

tf=$(scripts/terraform-cli.sh --terraform-1.15)
demo_workdir immuta-demo-import
demo_install registry.terraform.io
export TF_DATA_DIR="$work/tf/.terraform"

say "Starting the Immuta emulator, with a Snowflake and a Databricks integration"
demo_emulator -transition 1s -foreign

say "Someone made three Redshift integrations in Immuta's UI (and disabled one more)"
api() { printf 'Authorization: %s\n' "$api_key" | curl -fsS -H @- -H 'Content-Type: application/json' "$@"; }
made() {
  api -X POST "$url/integrations" -d "{\"type\":\"Redshift\",\"autoBootstrap\":false,\"config\":{\"host\":\"$1\",\"database\":\"immuta\",$2\"username\":\"immuta_system\",\"password\":\"made-in-the-ui\"}}" |
    sed -n 's/.*"id":"\{0,1\}\([0-9]*\).*/\1/p'
}
made sales.abc123.eu-west-1.redshift.amazonaws.com '' >/dev/null
made finance.abc123.eu-west-1.redshift.amazonaws.com '"port":5440,' >/dev/null
made ops.def456.us-east-1.redshift.amazonaws.com '"impersonation":{"enabled":true,"role":"immuta_imp"},' >/dev/null
old=$(made old.def456.us-east-1.redshift.amazonaws.com '')
sleep 1.5
curl -fsS -X PUT "$url/_emulator/integrations/$old/status" -d '{"status":"disabled"}'
echo "GET /integrations: $(api "$url/integrations" | grep -o '"type":"[A-Za-z]*"' | sort | uniq -c | tr -s ' \n' ' ')"

mkdir -p "$work/tf"
cd "$work/tf"
cat >main.tf <<EOF
terraform {
  required_providers {
    immuta = { source = "immuta/immuta" }
  }
}

provider "immuta" {
  host = "$url"
}

variable "redshift_passwords" {
  description = "Current password of each integration's system account, by host."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}
EOF
cat >all.tfquery.hcl <<'EOF'
list "immuta_redshift_integration" "all" {
  provider         = immuta
  include_resource = true
}
EOF
# The API token and the system account's current password come from the
# environment, as they would in CI.
export IMMUTA_API_TOKEN="$api_key"
export TF_VAR_redshift_passwords='{"sales.abc123.eu-west-1.redshift.amazonaws.com": "Sales-pw-1",
  "finance.abc123.eu-west-1.redshift.amazonaws.com": "Finance-pw-1", "ops.def456.us-east-1.redshift.amazonaws.com": "Ops-pw-1"}'
say "The configuration ($("$tf" version | head -n1)): main.tf and all.tfquery.hcl"
cat main.tf all.tfquery.hcl
"$tf" init -no-color >/dev/null
show terraform query
"$tf" query -no-color
show terraform query -generate-config-out=imports.tf
"$tf" query -no-color -generate-config-out=imports.tf >/dev/null
sed -n '1,30p' imports.tf
echo "  ..."
sed -n '/^import {/,/^}/p' imports.tf | head -n 8
echo "  ... ($(grep -c '^import {' imports.tf) import blocks, $(grep -c '^resource ' imports.tf) resource blocks)"

say "Without credentials the plan says which lines to add"
show terraform plan
if "$tf" plan -no-color >plan.out 2>&1; then
  echo "FAIL: the plan passed without credentials" >&2; exit 1
fi
sed -n '/Error: Missing credentials/,/update in place\./p' plan.out | head -n 25

say "One file of credentials: credentials_override.tf, written from imports.tf (as the guide does)"
# One block per generated resource, with the password of its host.
awk '/^resource "immuta_redshift_integration"/ { block = $1 " " $2 " " $3 }
     /^  host / { gsub(/"/, "", $3)
       printf "%s {\n  username            = \"immuta_system\"\n  password_wo         = var.redshift_passwords[\"%s\"]\n  password_wo_version = 1\n}\n\n", block, $3 }' \
  imports.tf >credentials_override.tf
sed -n '1,6p' credentials_override.tf
echo "  ..."
show terraform plan
"$tf" plan -no-color | sed -n '/all_0 will be/,/^    }/p;/^Plan:/p'
show terraform apply
"$tf" apply -auto-approve -no-color | grep -E '(will be|must be) |imported from|Plan:|Apply complete|Modifications complete'
show "terraform show -json | grep -o '\"identity\":{[^}]*}'"
"$tf" show -json | grep -o '"identity":{[^}]*}'
show terraform plan -detailed-exitcode
"$tf" plan -detailed-exitcode -no-color | tail -n 3
if grep -q "Sales-pw-1" terraform.tfstate; then
  echo "FAIL: the write-only password reached the state file" >&2; exit 1
fi
for pw in Sales-pw-1 Finance-pw-1 Ops-pw-1; do
  curl -fsS "$url/_emulator/integrations" | grep -q "\"$pw\"" || { echo "FAIL: Immuta did not get $pw" >&2; exit 1; }
done
echo "Immuta got each system account's password; the state file holds none of them."
say "All three adopted; the disabled one and the other types were left alone. Demo finished."
