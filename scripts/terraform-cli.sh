#!/usr/bin/env bash
# Prints the absolute path of a Terraform-compatible CLI for acceptance tests
# (use it as TF_ACC_TERRAFORM_PATH) and exits 0.
#
#   scripts/terraform-cli.sh          $TF_ACC_TERRAFORM_PATH if executable, else
#                                     terraform on PATH, else OpenTofu (built once)
#   scripts/terraform-cli.sh --tofu   always OpenTofu (built once and cached)
#
# OpenTofu is built from the Go module proxy (no other network is needed) into
#   ${IMMUTA_TOOLS_CACHE:-$HOME/.cache/terraform-provider-immuta}/tofu-<version>/tofu
# A cold build takes several minutes on 2 cores. Progress goes to stderr only;
# stdout carries nothing but the path. See scripts/OPENTOFU.md for the env vars
# OpenTofu needs with terraform-plugin-testing.
set -euo pipefail

TOFU_VERSION=1.12.6
TOFU_MODULE=github.com/opentofu/opentofu

log() { printf 'terraform-cli.sh: %s\n' "$*" >&2; }

tofu_path() {
  local cache="${IMMUTA_TOOLS_CACHE:-${HOME:?HOME is not set}/.cache/terraform-provider-immuta}/tofu-${TOFU_VERSION}"
  local bin="$cache/tofu"
  if [[ -x "$bin" ]]; then
    readlink -f "$bin"
    return
  fi

  mkdir -p "$cache"
  cache=$(cd "$cache" && pwd -P) # absolute: the build runs in another dir
  bin="$cache/tofu"
  # Serialise concurrent callers: the second one waits, then finds the binary.
  exec 9>"$cache/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9
  else
    log "flock not found; building without a lock"
  fi

  if [[ ! -x "$bin" ]]; then
    log "building OpenTofu v${TOFU_VERSION} into $bin (several minutes on a cold cache)..."
    local json dir
    # Run outside any module so the provider's go.mod is never touched.
    if ! json=$(cd / && GOWORK=off GOFLAGS='' go mod download -json "${TOFU_MODULE}@v${TOFU_VERSION}"); then
      log "could not download ${TOFU_MODULE}@v${TOFU_VERSION}: $json"
      exit 1
    fi
    dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
    if [[ -z "$dir" || ! -d "$dir" ]]; then
      log "no module dir in: $json"
      exit 1
    fi
    # 'go install' refuses this module (its go.mod has replace directives), so
    # build inside the read-only module cache dir; only -o is written. Flags as
    # in OpenTofu's own release build; version.dev=no makes 'tofu version'
    # print v1.12.6 rather than v1.12.6-dev.
    local tmp="$bin.tmp.$$"
    if ! (cd "$dir" && CGO_ENABLED=0 GOWORK=off GOFLAGS='' go build -trimpath \
      -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
      -o "$tmp" ./cmd/tofu) >&2; then
      rm -f "$tmp"
      log "building OpenTofu failed"
      exit 1
    fi
    mv -f "$tmp" "$bin"
    log "built $(TF_CLI_CONFIG_FILE='' "$bin" version 2>/dev/null | head -n1)"
  fi
  exec 9>&-
  readlink -f "$bin"
}

case "${1:-}" in
  --tofu)
    tofu_path
    exit 0
    ;;
  "") ;;
  *)
    log "usage: $0 [--tofu]"
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
