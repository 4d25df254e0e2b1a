#!/usr/bin/env bash
# make demo: the whole job against the emulator, with a Terraform CLI
# configuration of its own (never the user's ~/.terraformrc).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf '\n==> %s\n' "$*"; }

tf=$(scripts/terraform-cli.sh)
work=$(mktemp -d "${TMPDIR:-/tmp}/immuta-demo.XXXXXX")
emu_pid=
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

version=0.1.0
say "Building the provider and the emulator"
go build -o "$work/terraform-provider-immuta_v$version" .
go build -o "$work/immuta-emulator" ./internal/emulator/cmd/immuta-emulator
os_arch="$(go env GOOS)_$(go env GOARCH)"
# The build is installed from a filesystem mirror under both registry host
# names, so that Terraform and OpenTofu find it as immuta/immuta.
for registry in registry.terraform.io registry.opentofu.org; do
  dir="$work/mirror/$registry/immuta/immuta/$version/$os_arch"
  mkdir -p "$dir"
  cp "$work/terraform-provider-immuta_v$version" "$dir/"
done
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/immuta/immuta", "registry.opentofu.org/immuta/immuta"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_DATA_DIR="$work/.terraform" TF_PLUGIN_CACHE_DIR=

say "Starting the Immuta emulator on a free loopback port"
api_key="demo-$RANDOM$RANDOM"
"$work/immuta-emulator" -listen 127.0.0.1:0 -api-key "$api_key" -transition 2s >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/^immuta-emulator listening on //p' "$work/emulator.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
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
