#!/usr/bin/env bash
# Validates every example configuration against a build of this provider:
#
#   scripts/validate-examples.sh
#
# Builds the provider into a temp dir, writes a Terraform CLI configuration of
# its own there (dev_overrides for registry.terraform.io/immuta/immuta: nothing
# is downloaded, ~/.terraformrc is never read), then runs `terraform validate`
# on a copy of each directory under examples/ that holds .tf files, and
# `terraform fmt -check -recursive examples`; query files (*.tfquery.hcl) are
# validated with Terraform 1.15 (${TFQUERY:-terraform-cli.sh --terraform-1.15}).
# Works with OpenTofu too
# (TF=$(scripts/terraform-cli.sh --tofu) scripts/validate-examples.sh).
#
# The CLI is ${TF:-$(scripts/terraform-cli.sh)}. Exits non-zero if any example
# fails; all of them are checked before it does.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

tf=${TF:-$(scripts/terraform-cli.sh)}

work=$(mktemp -d "${TMPDIR:-/tmp}/immuta-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "==> building the provider"
go build -o "$work/bin/terraform-provider-immuta" .

# Both registry host names, so that OpenTofu (which reads immuta/immuta as
# registry.opentofu.org/immuta/immuta) finds the build too.
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/immuta/immuta"  = "$work/bin"
    "registry.opentofu.org/immuta/immuta" = "$work/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_WORKSPACE

echo "==> validating with $("$tf" version | head -n1)"
failed=()
count=0
while IFS= read -r dir; do
  rel=${dir#"$root"/}
  count=$((count + 1))
  # A copy, so that nothing (.terraform, lock files) is written into examples/.
  copy="$work/validate/$count"
  mkdir -p "$copy"
  cp -R "$dir"/. "$copy"/
  # dev_overrides needs no `terraform init`: the only other providers an
  # example may use are built in (terraform_data).
  if out=$(cd "$copy" && "$tf" validate -no-color 2>&1); then
    echo "ok    $rel"
  else
    echo "FAIL  $rel"
    printf '%s\n' "$out" | sed 's/^/      /'
    failed+=("$rel")
  fi
done < <(find "$root/examples" -type f -name '*.tf' -exec dirname {} \; | sort -u)

if ((count == 0)); then
  echo "no example directories found under examples/" >&2
  exit 1
fi

# Query files (list blocks, *.tfquery.hcl) need Terraform >= 1.14: the
# Terraform 1.15 test build validates them beside a provider block, and
# checks their format.
tfq=${TFQUERY:-$(scripts/terraform-cli.sh --terraform-1.15)}
echo "==> validating query files with $("$tfq" version | head -n1)"
while IFS= read -r dir; do
  rel=${dir#"$root"/}
  count=$((count + 1))
  copy="$work/validate/$count"
  mkdir -p "$copy"
  cp "$dir"/*.tfquery.hcl "$copy"/
  printf 'terraform {\n  required_providers {\n    immuta = { source = "immuta/immuta" }\n  }\n}\n\nprovider "immuta" {}\n' >"$copy/main.tf"
  if out=$(cd "$copy" && "$tfq" validate -query -no-color 2>&1) && out=$("$tfq" fmt -check -diff "$dir"/*.tfquery.hcl 2>&1); then
    echo "ok    $rel (query)"
  else
    echo "FAIL  $rel (query)"
    printf '%s\n' "$out" | sed 's/^/      /'
    failed+=("$rel (query)")
  fi
done < <(find "$root/examples" -type f -name '*.tfquery.hcl' -exec dirname {} \; | sort -u)

echo "==> fmt -check -recursive examples"
if ! "$tf" fmt -check -recursive -diff examples; then
  failed+=("fmt")
fi

if ((${#failed[@]} > 0)); then
  printf '\n%d failure(s): %s\n' "${#failed[@]}" "${failed[*]}" >&2
  exit 1
fi
echo "==> all $count example directories are valid and formatted"
