#!/usr/bin/env bash
# Prints the environment that terraform-plugin-testing needs to run the
# acceptance tests against OpenTofu (built once by terraform-cli.sh --tofu):
#
#   eval "$(scripts/tofurc.sh)" && TF_ACC=1 go test ./internal/provider/...
#
# See scripts/OPENTOFU.md for why each variable is needed. Progress messages
# (e.g. from a first OpenTofu build) go to stderr; stdout is only the exports.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
cache="${IMMUTA_TOOLS_CACHE:-${HOME:?HOME is not set}/.cache/terraform-provider-immuta}"
mkdir -p "$cache"
cache=$(cd "$cache" && pwd -P)

# OpenTofu warns on stdout when TF_CLI_CONFIG_FILE names a missing file, which
# breaks terraform-exec's parsing of `tofu version`: always point it at a real
# (empty) CLI config.
rc="$cache/tofurc"
if [[ ! -f "$rc" ]]; then
  printf '# OpenTofu CLI configuration for acceptance tests: intentionally empty.\n' >"$rc.$$"
  mv -f "$rc.$$" "$rc"
fi

tofu=$("$here/terraform-cli.sh" --tofu)

printf 'export TF_ACC_TERRAFORM_PATH=%q\n' "$tofu"
printf 'export TF_CLI_CONFIG_FILE=%q\n' "$rc"
printf 'export TF_ACC_PROVIDER_NAMESPACE=%q\n' immuta
printf 'unset TF_ACC_PROVIDER_HOST\n'
