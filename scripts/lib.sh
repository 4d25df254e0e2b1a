# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/demo-import.sh: a work directory that
# is removed on exit, the provider and the emulator built into it, a CLI
# configuration of its own that installs the provider from a filesystem mirror
# (never the user's ~/.terraformrc), and the emulator started on a free
# loopback port. Source it from the repository root.

say() { printf '\n==> %s\n' "$*"; }

provider_version=0.1.0
emu_pid=

# demo_workdir NAME: sets $work, a temporary directory removed (with the
# emulator stopped) when the script exits.
demo_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap demo_cleanup EXIT
}

demo_cleanup() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

# demo_install REGISTRY...: builds the provider and the emulator into $work,
# installs the provider in a filesystem mirror under each registry host name
# (Terraform's, and OpenTofu's where the CLI may be OpenTofu), and points the
# CLI at a configuration that uses only that mirror. TF_DATA_DIR is left to
# the caller.
demo_install() {
  say "Building the provider and the emulator"
  go build -o "$work/terraform-provider-immuta_v$provider_version" .
  go build -o "$work/immuta-emulator" ./internal/emulator/cmd/immuta-emulator
  local os_arch registry dir include=""
  os_arch="$(go env GOOS)_$(go env GOARCH)"
  for registry in "$@"; do
    dir="$work/mirror/$registry/immuta/immuta/$provider_version/$os_arch"
    mkdir -p "$dir"
    cp "$work/terraform-provider-immuta_v$provider_version" "$dir/"
    include="$include${include:+, }\"$registry/immuta/immuta\""
  done
  cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = [$include]
  }
}
CFG
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1 TF_PLUGIN_CACHE_DIR=
}

# demo_emulator ARG...: starts the emulator with a new API key and ARGs, and
# sets $api_key, $emu_pid and $url (exits if it does not say where it listens).
demo_emulator() {
  api_key="demo-$RANDOM$RANDOM"
  "$work/immuta-emulator" -listen 127.0.0.1:0 -api-key "$api_key" "$@" >"$work/emulator.out" 2>"$work/emulator.log" &
  emu_pid=$!
  url=
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^immuta-emulator listening on //p' "$work/emulator.out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
}
