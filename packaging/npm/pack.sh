#!/usr/bin/env bash
# Builds the npm tarballs of oaskit from a built binary:
#   packaging/npm/pack.sh BINARY OUTDIR
# writes OUTDIR/oaskit-VERSION.tgz (the main package: the `oaskit` command, a small Node
# launcher) and OUTDIR/oaskit-PLATFORM-VERSION.tgz (the package carrying BINARY, installed by npm
# only on its platform, as an optional dependency of the main one). No download happens at
# install time: this is the layout of esbuild and Biome.
#
# PLATFORM is the host's (`node -p 'process.platform + "-" + process.arch'`) unless
# OASKIT_NPM_PLATFORM names another (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64):
# the release workflow packs every platform's binary on one machine. The version is BINARY's
# own (`oaskit --version`), or OASKIT_NPM_VERSION when BINARY cannot run here.
set -euo pipefail

usage() { echo "usage: $0 BINARY OUTDIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
binary=$1
outdir=$2
[ -f "$binary" ] || { echo "error: $binary is not a file" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

platform=${OASKIT_NPM_PLATFORM:-$(node -p 'process.platform + "-" + process.arch')}
case "$platform" in
  linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64) ;;
  *) echo "error: no npm package for platform $platform" >&2; exit 2 ;;
esac
os=${platform%-*}
cpu=${platform#*-}

version=${OASKIT_NPM_VERSION:-}
if [ -z "$version" ]; then
  # "oaskit 0.1.0 (a1b2c3d4e5f6)" -> 0.1.0
  version=$("$binary" --version | awk '{print $2}')
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "error: '$version' is not a version npm accepts" >&2
  exit 2
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# The platform package: the binary and nothing to run at install.
exe=oaskit
[ "$os" = win32 ] && exe=oaskit.exe
mkdir -p "$stage/platform/bin"
cp "$binary" "$stage/platform/bin/$exe"
chmod 755 "$stage/platform/bin/$exe"
cat > "$stage/platform/package.json" <<JSON
{
  "name": "@oaskit/$platform",
  "version": "$version",
  "description": "The oaskit binary for $os $cpu (installed by the oaskit package)",
  "license": "MIT OR Apache-2.0",
  "repository": { "type": "git", "url": "git+https://github.com/oaskit/oaskit.git" },
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$exe"],
  "preferUnplugged": true
}
JSON
printf '# @oaskit/%s\n\nThe `oaskit` binary for %s %s. Install `oaskit`, not this package.\n' \
  "$platform" "$os" "$cpu" > "$stage/platform/README.md"

# The main package: the launcher, and every platform package as an optional dependency.
mkdir -p "$stage/main/bin"
cp "$here/oaskit/bin/oaskit.js" "$stage/main/bin/oaskit.js"
cp "$here/oaskit/README.md" "$stage/main/README.md"
optional=""
for p in linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64; do
  optional="$optional${optional:+,
}    \"@oaskit/$p\": \"$version\""
done
cat > "$stage/main/package.json" <<JSON
{
  "name": "oaskit",
  "version": "$version",
  "description": "Contract-first toolchain for OpenAPI 3: validate, diff, generate a TypeScript client and a Rust server, gate CI",
  "keywords": ["openapi", "typescript", "codegen", "breaking-changes", "api"],
  "license": "MIT OR Apache-2.0",
  "repository": { "type": "git", "url": "git+https://github.com/oaskit/oaskit.git" },
  "bin": { "oaskit": "bin/oaskit.js" },
  "files": ["bin/oaskit.js"],
  "engines": { "node": ">=18" },
  "optionalDependencies": {
$optional
  }
}
JSON

(cd "$stage/platform" && npm pack --silent --pack-destination "$outdir" >/dev/null)
(cd "$stage/main" && npm pack --silent --pack-destination "$outdir" >/dev/null)
echo "$outdir/oaskit-$version.tgz"
echo "$outdir/oaskit-$platform-$version.tgz"
