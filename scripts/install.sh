#!/usr/bin/env bash
# make install: builds the provider into a local provider mirror that
# Terraform and OpenTofu both read, and prints the CLI configuration that
# uses it (stdout carries nothing else; progress goes to stderr):
#
#   make install > immuta.tfrc && export TF_CLI_CONFIG_FILE=$PWD/immuta.tfrc
#
#   MIRROR_DIR  the mirror (default: bin/mirror in the repository, ignored by
#               git; not dist/, which goreleaser release --clean empties)
#   VERSION     the provider version to install as (default 0.1.0). A plain
#               x.y.z, so that `source = "immuta/immuta"` with no version
#               constraint selects it: Terraform and OpenTofu pick a
#               prerelease (x.y.z-dev) only when required_providers names it
#               exactly.
#
# The build goes in the unpacked layout, under both registries' host names,
# since `source = "immuta/immuta"` means registry.terraform.io/immuta/immuta
# to Terraform and registry.opentofu.org/immuta/immuta to OpenTofu:
#   <mirror>/<host>/immuta/immuta/<version>/<os>_<arch>/terraform-provider-immuta_v<version>
# The printed configuration installs this provider from the mirror only and
# every other provider as usual (direct), so a configuration that also uses
# registry providers still initialises.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=${VERSION:-0.1.0}
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "install.sh: VERSION=$version is not a version such as 0.1.0" >&2
  exit 2
fi
mirror=${MIRROR_DIR:-$PWD/bin/mirror}
mkdir -p "$mirror"
mirror=$(cd "$mirror" && pwd -P)
os_arch="$(go env GOOS)_$(go env GOARCH)"
exe=$(go env GOEXE)
name="terraform-provider-immuta_v${version}${exe}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/immuta-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "install.sh: building terraform-provider-immuta v$version for $os_arch" >&2
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$tmp/$name" .

include=""
for registry in registry.terraform.io registry.opentofu.org; do
  dir="$mirror/$registry/immuta/immuta/$version/$os_arch"
  mkdir -p "$dir"
  # Replace, never write into, a binary a running CLI may hold open.
  cp "$tmp/$name" "$dir/.$name.new"
  mv -f "$dir/.$name.new" "$dir/$name"
  echo "install.sh: installed $dir/$name" >&2
  include="$include${include:+, }\"$registry/immuta/immuta\""
done

if [[ "$version" == *-* ]]; then
  echo "install.sh: $version is a prerelease: required_providers must name it, version = \"$version\"" >&2
fi
echo "install.sh: after installing a new build of the same version, run 'init -upgrade' (the lock file holds the old build's checksum)" >&2

cat <<CFG
# CLI configuration for terraform-provider-immuta v$version from $mirror
# (printed by make install). Use it with TF_CLI_CONFIG_FILE=<this file>, or
# copy the block into ~/.terraformrc (Terraform) or ~/.tofurc (OpenTofu).
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = [$include]
  }
  direct {
    exclude = [$include]
  }
}
CFG
