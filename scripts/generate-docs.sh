#!/usr/bin/env bash
# Renders docs/ from templates/, examples/ and the provider's schema with
# tfplugindocs (pinned in tools/go.mod), then validates the result:
#
#   scripts/generate-docs.sh
#
# tfplugindocs would otherwise look for `terraform` itself and download the
# latest release when none is on PATH. Instead, the schema is produced here
# with ${TF:-$(scripts/terraform-cli.sh)} and a CLI configuration of our own
# (dev_overrides pointing at a fresh build, in a temp dir; ~/.terraformrc is
# never read), and handed to tfplugindocs with --providers-schema, which then
# neither builds the provider nor runs or downloads Terraform.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Terraform 1.15 (built once from source, see README): older CLIs leave the
# list resource and the resource identity out of the schema.
tf=${TF:-$(scripts/terraform-cli.sh --terraform-1.15)}
tfplugindocs=(go tool -modfile=tools/go.mod tfplugindocs)

# quiet_debug CMD... runs CMD without the "[DEBUG]" lines that tfplugindocs
# logs on stderr whatever it is asked (it has no flag or level for them), so
# that make test's log shows results. Every other line, errors included,
# still reaches stderr, and CMD's exit status is kept.
quiet_debug() {
  local rc=0
  { "$@" 2>&1 1>&3 3>&- | { grep -vE '^([0-9/]+ [0-9:.]+ )?\[DEBUG\] ' || true; } >&2; } 3>&1 || rc=$?
  return "$rc"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/immuta-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "==> building the provider"
go build -o "$work/bin/terraform-provider-immuta" .

# tfplugindocs finds the schema under the key "immuta" or
# "registry.terraform.io/hashicorp/immuta", never under the real address
# immuta/immuta: the build is therefore overridden as hashicorp/immuta, with
# the host spelled out so that OpenTofu uses the same key.
mkdir -p "$work/schema"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/hashicorp/immuta" = "$work/bin"
  }
  direct {}
}
EOF
cat >"$work/schema/main.tf" <<'EOF'
terraform {
  required_providers {
    immuta = {
      source = "registry.terraform.io/hashicorp/immuta"
    }
  }
}
EOF

export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_DATA_DIR="$work/schema/.terraform"
unset TF_PLUGIN_CACHE_DIR TF_WORKSPACE

echo "==> provider schema with $("$tf" version | head -n1)"
(cd "$work/schema" && "$tf" providers schema -json >"$work/schema.json")

echo "==> tfplugindocs generate"
quiet_debug "${tfplugindocs[@]}" generate \
  --provider-name immuta \
  --rendered-provider-name Immuta \
  --providers-schema "$work/schema.json" \
  --website-temp-dir "$work/website"

echo "==> tfplugindocs validate"
quiet_debug "${tfplugindocs[@]}" validate \
  --provider-name immuta \
  --providers-schema "$work/schema.json"
