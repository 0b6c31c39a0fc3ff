#!/usr/bin/env bash
# Installs oaskit for the GitHub Action (action.yml) and puts it on the job's PATH.
#
# In this order:
# 1. $OASKIT_BINARY, a path to a binary built elsewhere (a CI artifact, a local build): copied.
#    This is also how the action's own CI tests this script without a release.
# 2. A release: $OASKIT_VERSION, else the tag the action is used at ($OASKIT_ACTION_REF, e.g.
#    v0.1.0): the archive for this runner is downloaded from the release with its .sha256,
#    verified and unpacked. $OASKIT_RELEASE_URL replaces the releases' base address (tests use
#    a file:// directory laid out as a release).
# 3. Otherwise (the action used at a branch or a commit): `cargo install --locked` of the
#    action's own checkout ($GITHUB_ACTION_PATH), the very commit the workflow asked for.
#
# The directory it installs into ($RUNNER_TEMP/oaskit-bin) is appended to $GITHUB_PATH.
set -euo pipefail

bindir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/oaskit-bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$bindir"

os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
exe=oaskit
case "$os" in Windows | MINGW* | MSYS* | CYGWIN*) exe=oaskit.exe ;; esac

finish() {
  chmod 755 "$bindir/$exe"
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$bindir" >>"$GITHUB_PATH"; fi
  echo "installed $("$bindir/$exe" --version) in $bindir"
}

if [ -n "${OASKIT_BINARY:-}" ]; then
  if [ ! -f "$OASKIT_BINARY" ]; then
    echo "::error::OASKIT_BINARY=$OASKIT_BINARY is not a file" >&2
    exit 2
  fi
  cp "$OASKIT_BINARY" "$bindir/$exe"
  finish
  exit 0
fi

version=${OASKIT_VERSION:-}
if [ -z "$version" ] && [[ "${OASKIT_ACTION_REF:-}" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  version=$OASKIT_ACTION_REF
fi
version=${version#v}

if [ -z "$version" ]; then
  source_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
  echo "no release named (action used at '${OASKIT_ACTION_REF:-?}'): building $source_dir with cargo"
  cargo install --locked --root "$work/cargo" --path "$source_dir" --bin oaskit
  cp "$work/cargo/bin/$exe" "$bindir/$exe"
  finish
  exit 0
fi

# The release archives made by dist (see dist-workspace.toml): one per target triple. On Linux
# x64 the static musl build runs everywhere; OASKIT_TARGET picks another (the gnu one).
target=${OASKIT_TARGET:-}
[ -n "$target" ] || case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-gnu ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
  Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "::error::no oaskit release archive for $os $arch; use OASKIT_BINARY or the action at a commit" >&2
    exit 2
    ;;
esac
archive=oaskit-$target.tar.xz
[ "$exe" = oaskit.exe ] && archive=oaskit-$target.zip
base=${OASKIT_RELEASE_URL:-https://github.com/oaskit/oaskit/releases/download}/v$version

fetch() { curl --proto '=https,file' --tlsv1.2 -fsSL --retry 3 -o "$2" "$1"; }
fetch "$base/$archive" "$work/$archive"
fetch "$base/$archive.sha256" "$work/$archive.sha256"

expected=$(awk '{print $1; exit}' "$work/$archive.sha256")
if command -v sha256sum >/dev/null; then
  actual=$(sha256sum "$work/$archive" | awk '{print $1}')
else
  actual=$(shasum -a 256 "$work/$archive" | awk '{print $1}')
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "::error::checksum mismatch for $archive: expected '$expected', got '$actual'" >&2
  exit 2
fi

mkdir -p "$work/unpacked"
case "$archive" in
  *.tar.xz) tar -xJf "$work/$archive" -C "$work/unpacked" ;;
  *.zip)
    if command -v unzip >/dev/null; then
      unzip -q "$work/$archive" -d "$work/unpacked"
    else
      powershell -NoProfile -Command "Expand-Archive -Path '$work/$archive' -DestinationPath '$work/unpacked'"
    fi
    ;;
esac
found=$(find "$work/unpacked" -type f -name "$exe" | head -n 1)
if [ -z "$found" ]; then
  echo "::error::$archive holds no $exe" >&2
  exit 2
fi
cp "$found" "$bindir/$exe"
finish
