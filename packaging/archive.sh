#!/usr/bin/env bash
# Packs a built oaskit binary as a release archive, laid out as dist (cargo-dist) lays out the
# archives of a release (dist-workspace.toml, .github/workflows/release.yml):
#   packaging/archive.sh BINARY TARGET OUTDIR
# writes OUTDIR/oaskit-TARGET.tar.xz (oaskit-TARGET/ with the stripped binary, README.md and
# the licenses; .zip without the directory for Windows targets) and OUTDIR/oaskit-TARGET.tar.xz.sha256.
# CI uses it on the release build it already has, to check the host's archive and to install it
# through the GitHub Action's install step, without building oaskit a second time. It compresses
# with xz -1 (measured on the 17 MB binary: 4 s and 5.3 MB, where -6 took 43 s for 4.5 MB).
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 BINARY TARGET OUTDIR" >&2; exit 2; }
binary=$1
target=$2
outdir=$3
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$binary" ] || { echo "error: $binary is not a file" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name=oaskit-$target
exe=oaskit
case "$target" in *windows*) exe=oaskit.exe ;; esac
mkdir -p "$stage/$name"
cp "$binary" "$stage/$name/$exe"
# The release profile keeps line tables for backtraces; a shipped binary does not need them.
if [ "$exe" = oaskit ] && command -v strip >/dev/null; then strip "$stage/$name/$exe"; fi
cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/$name/"

case "$target" in
  *windows*)
    archive=$name.zip
    (cd "$stage/$name" && zip -q -r "$outdir/$archive" .)
    ;;
  *)
    archive=$name.tar.xz
    # Reproducible: fixed order, owner and mtime.
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - "$name" |
      xz -1 -T1 >"$outdir/$archive"
    ;;
esac
(cd "$outdir" && sha256sum "$archive" >"$archive.sha256")
echo "$outdir/$archive"
