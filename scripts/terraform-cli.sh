#!/usr/bin/env bash
# Prints the absolute path of a Terraform-compatible CLI for acceptance tests
# (use it as TF_ACC_TERRAFORM_PATH) and exits 0.
#
#   scripts/terraform-cli.sh          $TF_ACC_TERRAFORM_PATH if executable, else
#                                     terraform on PATH, else OpenTofu (built once)
#   scripts/terraform-cli.sh --tofu   always OpenTofu (built once and cached)
#   scripts/terraform-cli.sh --terraform-1.15
#                                     always Terraform 1.15.0 built from source
#                                     (built once and cached), for resource
#                                     identity and `terraform query`
#
# OpenTofu is built from the Go module proxy (no other network is needed) into
#   ${IMMUTA_TOOLS_CACHE:-$HOME/.cache/terraform-provider-immuta}/tofu-<version>/tofu
# Terraform 1.15.0 is built the same way into
#   ${IMMUTA_TOOLS_CACHE:-$HOME/.cache/terraform-provider-immuta}/terraform-<version>/terraform
# It is a TEST CLI, not a HashiCorp release: the module zip on the proxy lacks
# the nested modules of nine remote-state backends (azurerm, consul, cos, gcs,
# kubernetes, oci, oss, pg, s3), so they are left out of the build (see
# tf115_strip_backends). Everything else, including local state, import,
# resource identity and `terraform query`, is Terraform's own code.
# A cold build takes several minutes on 2 cores. Progress goes to stderr only;
# stdout carries nothing but the path. See scripts/OPENTOFU.md for the env vars
# OpenTofu needs with terraform-plugin-testing.
set -euo pipefail

TOFU_VERSION=1.12.6
TOFU_MODULE=github.com/opentofu/opentofu
TF115_VERSION=1.15.0
TF115_MODULE=github.com/hashicorp/terraform
# The remote-state backends whose nested modules the proxy's zip lacks.
TF115_DROPPED_BACKENDS=(azure consul cos gcs kubernetes oci oss pg s3)
# internal/legacy is a nested module too, so the zip lacks it, but Terraform's
# own code needs it (go.mod replaces it with ./internal/legacy). The proxy
# serves it as a module of its own, under a pseudo-version only (no tag): this
# is the newest it served on 2026-12-02, older than v1.15.0 and unchanged since.
TF115_LEGACY=github.com/hashicorp/terraform/internal/legacy@v0.0.0-20250409131005-35645b8fca68

log() { printf 'terraform-cli.sh: %s\n' "$*" >&2; }

# cached_cli DIR NAME BUILDER prints the absolute path of the cached CLI
# DIR/NAME, first building it with BUILDER TMP (which writes the binary to TMP)
# if it is not there. Builds are serialised: a concurrent caller waits, then
# finds the binary.
cached_cli() {
  local cache="${IMMUTA_TOOLS_CACHE:-${HOME:?HOME is not set}/.cache/terraform-provider-immuta}/$1"
  local bin="$cache/$2"
  if [[ -x "$bin" ]]; then
    readlink -f "$bin"
    return
  fi

  mkdir -p "$cache"
  cache=$(cd "$cache" && pwd -P) # absolute: the build runs in another dir
  bin="$cache/$2"
  exec 9>"$cache/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9
  else
    log "flock not found; building without a lock"
  fi

  if [[ ! -x "$bin" ]]; then
    local tmp="$bin.tmp.$$"
    if ! "$3" "$tmp"; then
      rm -f "$tmp"
      exit 1
    fi
    mv -f "$tmp" "$bin"
  fi
  exec 9>&-
  readlink -f "$bin"
}

tofu_path() { cached_cli "tofu-${TOFU_VERSION}" tofu build_tofu; }

# build_tofu TMP builds OpenTofu into TMP. ('|| return 1' each time: errexit is
# off inside a function called from 'if'.)
build_tofu() {
  local tmp=$1 dir
  log "building OpenTofu v${TOFU_VERSION} (several minutes on a cold cache)..."
  dir=$(module_dir "${TOFU_MODULE}@v${TOFU_VERSION}") || return 1
  # 'go install' refuses this module (its go.mod has replace directives), so
  # build inside the read-only module cache dir; only -o is written. Flags as
  # in OpenTofu's own release build; version.dev=no makes 'tofu version'
  # print v1.12.6 rather than v1.12.6-dev.
  quiet_download "$dir" || return 1
  if ! (cd "$dir" && CGO_ENABLED=0 GOWORK=off GOFLAGS='' go build -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$tmp" ./cmd/tofu) >&2; then
    log "building OpenTofu failed"
    return 1
  fi
  log "built $(TF_CLI_CONFIG_FILE='' "$tmp" version 2>/dev/null | head -n1)"
}

# quiet_download DIR downloads the modules that the module in DIR needs
# before it is built: go mod download prints nothing of them, where go build
# would print a "go: downloading" line for each of several hundred.
quiet_download() {
  log "downloading the modules it needs"
  if ! (cd "$1" && GOWORK=off GOFLAGS='' go mod download) >&2; then
    log "downloading the modules of $1 failed"
    return 1
  fi
}

# module_dir MODULE@VERSION prints the module's directory in the module cache,
# downloading it from the Go module proxy if needed.
module_dir() {
  local json dir
  # Run outside any module so the provider's go.mod is never touched.
  if ! json=$(cd / && GOWORK=off GOFLAGS='' go mod download -json "$1"); then
    log "could not download $1: $json"
    return 1
  fi
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    log "no module dir in: $json"
    return 1
  fi
  printf '%s\n' "$dir"
}

# drop_lines FILE WANT REGEX... deletes every line of FILE matching one of the
# (extended) regexes, and fails loudly unless exactly WANT lines went: a new
# Terraform version that moved a line must stop the build, not half-edit it.
drop_lines() {
  local file=$1 want=$2
  shift 2
  local re
  re=$(IFS='|'; printf '%s' "$*")
  local got
  got=$(grep -cE "$re" "$file" || true)
  if [[ "$got" != "$want" ]]; then
    log "$file: expected $want lines matching /$re/, found $got; the edit for Terraform v${TF115_VERSION} no longer fits"
    grep -nE "$re" "$file" >&2 || true
    return 1
  fi
  grep -vE "$re" "$file" >"$file.new"
  mv -f "$file.new" "$file"
}

# tf115_strip_backends DIR removes the nine remote-state backends from a
# writable copy of Terraform's source: their imports and registrations in
# internal/backend/init/init.go, their require and replace lines in go.mod.
tf115_strip_backends() {
  local src=$1 b
  local n=${#TF115_DROPPED_BACKENDS[@]}
  local imports=() regs=() reqs=() repls=()
  for b in "${TF115_DROPPED_BACKENDS[@]}"; do
    imports+=("^[[:space:]]*backend[A-Za-z0-9]+ \"github\.com/hashicorp/terraform/internal/backend/remote-state/$b\"\$")
    reqs+=("^[[:space:]]*github\.com/hashicorp/terraform/internal/backend/remote-state/$b v[^ ]+\$")
    repls+=("^replace github\.com/hashicorp/terraform/internal/backend/remote-state/$b => ")
  done
  # Registrations name the backend by its key; "azure" registers as "azurerm".
  for b in azurerm consul cos gcs kubernetes oci oss pg s3; do
    regs+=("^[[:space:]]*\"$b\":[[:space:]]+func\(\) backend\.Backend \{ return backend[A-Za-z0-9]+\.New\(\) \},\$")
  done
  # '|| return 1' each time: errexit is off inside a function called from 'if'.
  drop_lines "$src/internal/backend/init/init.go" "$n" "${imports[@]}" || return 1
  drop_lines "$src/internal/backend/init/init.go" "$n" "${regs[@]}" || return 1
  drop_lines "$src/go.mod" "$n" "${reqs[@]}" || return 1
  drop_lines "$src/go.mod" "$n" "${repls[@]}" || return 1
}

# tf115_add_legacy DIR puts the internal/legacy module into a writable copy of
# Terraform's source, where its go.mod's replace line looks for it, unless the
# zip already holds it.
tf115_add_legacy() {
  local src=$1 dir
  [[ -f "$src/internal/legacy/go.mod" ]] && return 0
  dir=$(module_dir "$TF115_LEGACY") || return 1
  mkdir -p "$src/internal/legacy" &&
    cp -R "$dir/." "$src/internal/legacy/" &&
    chmod -R u+w "$src/internal/legacy"
}

tf115_path() { cached_cli "terraform-${TF115_VERSION}" terraform build_tf115; }

# build_tf115 TMP builds Terraform 1.15 without the cloud state backends into TMP.
build_tf115() {
  local tmp=$1 dir src v
  log "building Terraform v${TF115_VERSION} (a test CLI without the cloud state backends; several minutes on a cold cache)..."
  dir=$(module_dir "${TF115_MODULE}@v${TF115_VERSION}") || return 1
  # The module cache is read-only and the source must be edited: copy it.
  src=$(mktemp -d "${TMPDIR:-/tmp}/terraform-${TF115_VERSION}-src.XXXXXX") || return 1
  # shellcheck disable=SC2064 # expand now: src is local
  trap "rm -rf '$src'" EXIT
  if ! { cp -R "$dir/." "$src/" && chmod -R u+w "$src"; }; then
    log "could not copy Terraform's source to $src"
    return 1
  fi
  if ! tf115_strip_backends "$src"; then
    log "could not remove the remote-state backends from Terraform's source"
    return 1
  fi
  if ! tf115_add_legacy "$src"; then
    log "could not add internal/legacy ($TF115_LEGACY) to Terraform's source"
    return 1
  fi
  quiet_download "$src" || return 1
  if ! (cd "$src" && CGO_ENABLED=0 GOWORK=off GOFLAGS='' go build -trimpath \
    -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
    -o "$tmp" .) >&2; then
    log "building Terraform failed"
    return 1
  fi
  v=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$tmp" version 2>/dev/null | head -n1)
  if [[ "$v" != "Terraform v${TF115_VERSION}" ]]; then
    log "the build reports '$v', not 'Terraform v${TF115_VERSION}'"
    return 1
  fi
  if ! TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$tmp" query -help >/dev/null 2>&1; then
    log "the build has no 'terraform query'"
    return 1
  fi
  rm -rf "$src"
  trap - EXIT
  log "built $v"
}

case "${1:-}" in
  --tofu)
    tofu_path
    exit 0
    ;;
  --terraform-1.15)
    tf115_path
    exit 0
    ;;
  "") ;;
  *)
    log "usage: $0 [--tofu | --terraform-1.15]"
    exit 2
    ;;
esac

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  if [[ -f "$TF_ACC_TERRAFORM_PATH" && -x "$TF_ACC_TERRAFORM_PATH" ]]; then
    readlink -f "$TF_ACC_TERRAFORM_PATH"
    exit 0
  fi
  log "TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not an executable file; ignoring it"
fi

if tf=$(command -v terraform 2>/dev/null) && [[ -n "$tf" ]]; then
  readlink -f "$tf"
  exit 0
fi

log "terraform not found on PATH; using OpenTofu"
tofu_path
