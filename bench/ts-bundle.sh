#!/usr/bin/env bash
# What one call from the generated GitHub client costs an application's bundle: esbuild (the
# repository's devDependency: run `npm ci`) bundles and minifies a file that makes one call
# (`issues/list-for-repo`), and this prints the gzipped size of what the page loads (chunks loaded
# later, like the event-stream parser, are listed apart). Side by side: the same call through the
# `Client` facade (every operation), through the package index, and through openapi-fetch (types
# by openapi-typescript) and @hey-api/openapi-ts (its fetch client) generated from the same spec:
# the generators from PEERS (../shared/bench/setup-peers.sh, default /tmp/peers) or TOOLS, the
# openapi-fetch runtime from TOOLS:
#   mkdir -p /tmp/sdkbench && cd /tmp/sdkbench && npm i openapi-fetch
# Usage: bench/ts-bundle.sh [SPEC]   (default: GitHub's REST spec for api.github.com, octokit's
# openapi 23.0.2, as bench/ts-client.sh; run by hand). OASKIT=path/to/oaskit skips the release
# build; BEFORE=path/to/other/oaskit adds the facade call of that build's client (a comparison).
set -uo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/work/shared/corpus}
SPEC=$(realpath "${1:-$CORPUS/pairs/github/octokit-openapi-23.0.2.json}")
TOOLS=${TOOLS:-/tmp/sdkbench}
ESBUILD=$PWD/node_modules/.bin/esbuild
[ -x "$ESBUILD" ] || { echo "no esbuild in node_modules: run npm ci"; exit 2; }
if [ -z "${OASKIT:-}" ]; then
  cargo build --release >/dev/null 2>&1 || { echo "build failed"; exit 2; }
  OASKIT=${CARGO_TARGET_DIR:-$PWD/target}/release/oaskit
fi
mkdir -p "$TOOLS"
PEERS=${PEERS:-/tmp/peers}
peer() { if [ -x "$PEERS/node_modules/.bin/$1" ]; then echo "$PEERS/node_modules/.bin/$1"; else echo "$TOOLS/node_modules/.bin/$1"; fi; }
OTS=$(peer openapi-typescript)
HEY=$(peer openapi-ts)
# Under TOOLS, so that the entries resolve openapi-fetch and @hey-api/client-fetch.
OUT=$(mktemp -d -p "$TOOLS")
trap 'rm -rf "$OUT"' EXIT

# bundle LABEL ENTRY: the minified ESM bundle of ENTRY, its gzipped size and its lazy chunks.
bundle() {
  local label=$1 entry=$2 dir="$OUT/bundle-$1"
  if ! "$ESBUILD" "$entry" --bundle --minify --format=esm --splitting --platform=browser \
    --target=es2022 --outdir="$dir" --log-level=error; then
    printf '%-26s bundle failed\n' "$label"
    return
  fi
  local main; main="$dir/$(basename "${entry%.*}").js"
  local lazy=""
  for chunk in "$dir"/*.js; do
    [ "$chunk" = "$main" ] && continue
    lazy="$lazy $(gzip -9 -c "$chunk" | wc -c) B"
  done
  printf '%-26s %6s B minified  %6s B gzipped%s\n' "$label" "$(wc -c <"$main")" \
    "$(gzip -9 -c "$main" | wc -c)" "${lazy:+   (lazy chunks, gzipped:$lazy)}"
}

echo "one call (GET /repos/{owner}/{repo}/issues) from $(basename "$SPEC"), esbuild --minify, gzip -9"
"$OASKIT" generate ts-client --allow-invalid "$SPEC" -o "$OUT/oaskit" >/dev/null 2>&1 || { echo "generate failed"; exit 2; }
cat >"$OUT/oaskit-function.ts" <<'EOF'
import { issuesListForRepo } from "./oaskit/src/operations/issues.js";
const result = await issuesListForRepo({ baseUrl: "https://api.example" }, { owner: "o", repo: "r" });
if (result.ok) console.log(result.data.length);
EOF
cat >"$OUT/oaskit-index.ts" <<'EOF'
import { issuesListForRepo } from "./oaskit/src/index.js";
const result = await issuesListForRepo({ baseUrl: "https://api.example" }, { owner: "o", repo: "r" });
if (result.ok) console.log(result.data.length);
EOF
cat >"$OUT/oaskit-facade.ts" <<'EOF'
import { Client } from "./oaskit/src/index.js";
const result = await new Client({ baseUrl: "https://api.example" }).issuesListForRepo({ owner: "o", repo: "r" });
if (result.ok) console.log(result.data.length);
EOF
if [ -n "${BEFORE:-}" ]; then
  "$BEFORE" generate ts-client --allow-invalid "$SPEC" -o "$OUT/before" >/dev/null 2>&1 || { echo "generate (before) failed"; exit 2; }
  sed 's#./oaskit/src/index.js#./before/src/index.js#' "$OUT/oaskit-facade.ts" >"$OUT/before-facade.ts"
  bundle "before: Client (BEFORE)" "$OUT/before-facade.ts"
fi
bundle "oaskit (tag module)" "$OUT/oaskit-function.ts"
bundle "oaskit (package index)" "$OUT/oaskit-index.ts"
bundle "oaskit (Client facade)" "$OUT/oaskit-facade.ts"

if [ -d "$TOOLS/node_modules/openapi-fetch" ] && [ -x "$OTS" ]; then
  "$OTS" "$SPEC" -o "$OUT/ofetch-schema.d.ts" >/dev/null 2>&1
  cat >"$OUT/openapi-fetch.ts" <<'EOF'
import createClient from "openapi-fetch";
import type { paths } from "./ofetch-schema.js";
const client = createClient<paths>({ baseUrl: "https://api.example" });
const { data } = await client.GET("/repos/{owner}/{repo}/issues", { params: { path: { owner: "o", repo: "r" } } });
if (data) console.log(data.length);
EOF
  bundle "openapi-fetch" "$OUT/openapi-fetch.ts"
else
  echo "openapi-fetch: openapi-fetch not in $TOOLS or openapi-typescript not in $PEERS"
fi

if [ -x "$HEY" ]; then
  (cd "$OUT" && "$HEY" -i "$SPEC" -o "$OUT/hey" -c @hey-api/client-fetch \
    --no-log-file >/dev/null 2>&1)
  cat >"$OUT/hey-api.ts" <<'EOF'
import { client } from "./hey/client.gen";
import { issuesListForRepo } from "./hey/sdk.gen";
client.setConfig({ baseUrl: "https://api.example" });
const { data } = await issuesListForRepo({ path: { owner: "o", repo: "r" } });
if (data) console.log(data.length);
EOF
  bundle "@hey-api/openapi-ts" "$OUT/hey-api.ts"
else
  echo "@hey-api/openapi-ts: not in $PEERS or $TOOLS"
fi
