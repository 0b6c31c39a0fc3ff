#!/usr/bin/env bash
# TypeScript client generation on the GitHub and Stripe specs, side by side in one run with
# openapi-typescript and @hey-api/openapi-ts (when installed by ../shared/bench/setup-peers.sh,
# default /tmp/peers): median wall time, peak memory, output size, and `tsc --noEmit` time of our
# output vs openapi-typescript's (the editor has to live with these types).
# Usage: bench/ts-client.sh   (RUNS / PEER_RUNS: hyperfine runs; run by hand, not by the tests)
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CORPUS=${CORPUS:-../shared/corpus}
cargo build --release >/dev/null 2>&1 || { echo "build failed"; exit 2; }
OASKIT=${CARGO_TARGET_DIR:-$PWD/target}/release/oaskit
[ -f node_modules/typescript/bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
TSC="node $PWD/node_modules/typescript/bin/tsc"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
SPECS=("$CORPUS/pairs/github/octokit-openapi-23.0.2.json" "$CORPUS/specs/stripe-spec3.yaml")
B=$PEERS/node_modules/.bin
kib() { du -sk "$1" | cut -f1; }

header
for f in "${SPECS[@]}"; do
  name=$(basename "$f")
  key=${name%.*}
  # --allow-invalid: GitHub's spec has two structural errors (duplicate-path); without it the
  # run is refused (exit 2) and only loading and validating would be timed.
  measure "oaskit generate ts-client" "$name" "$RUNS" "$OASKIT" generate ts-client --allow-invalid "$f" -o "$OUT/$key.oaskit"; ours=$LAST_MEDIAN
  echo "    output: $(kib "$OUT/$key.oaskit/src") KiB in $(ls "$OUT/$key.oaskit/src" | wc -l) files"
  best=
  if [ -x "$B/openapi-typescript" ]; then
    measure "openapi-typescript" "$name" "$PEER_RUNS" "$B/openapi-typescript" "$f" -o "$OUT/$key.ots.ts"
    echo "    output: $(kib "$OUT/$key.ots.ts") KiB;  openapi-typescript / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
    best=$LAST_MEDIAN
  fi
  if [ -x "$B/openapi-ts" ]; then
    measure "@hey-api/openapi-ts" "$name" "$PEER_RUNS" "$B/openapi-ts" -i "$f" -o "$OUT/$key.hey" -c @hey-api/client-fetch --no-log-file
    echo "    output: $(kib "$OUT/$key.hey") KiB;  @hey-api/openapi-ts / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $LAST_MEDIAN < $best else 1)"; then best=$LAST_MEDIAN; fi
  fi
  [ -n "$best" ] && echo "    faster peer / oaskit: $(ratio "$best" "$ours")"
  # The cost of the types for the editor: a full strict type check of each output.
  measure "tsc --noEmit (oaskit output)" "$name" "$PEER_RUNS" $TSC --strict --noEmit -p "$OUT/$key.oaskit/tsconfig.json"; tsc_ours=$LAST_MEDIAN
  if [ -f "$OUT/$key.ots.ts" ]; then
    measure "tsc --noEmit (openapi-typescript)" "$name" "$PEER_RUNS" $TSC --strict --noEmit --skipLibCheck --target es2022 \
      --module esnext --moduleResolution bundler --lib es2022,dom "$OUT/$key.ots.ts"
    echo "    tsc time, ours / openapi-typescript's: $(ratio "$tsc_ours" "$LAST_MEDIAN")"
  fi
done
