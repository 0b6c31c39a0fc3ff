#!/usr/bin/env bash
# Loading the largest specs into the contract model (parse, source map, $refs, model), side by
# side with `redocly lint` and `openapi-spec-validator` on the same files in the same run.
# Usage: bench/load.sh   (peers from ../shared/bench/setup-peers.sh, default in /tmp/peers)
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CORPUS=${CORPUS:-../shared/corpus}
cargo build --release --example load_contract >/dev/null 2>&1 || { echo "build failed"; exit 2; }
LOAD=target/release/examples/load_contract
SPECS=("$CORPUS/pairs/github/octokit-openapi-23.0.2.json" "$CORPUS/specs/stripe-spec3.yaml" "$CORPUS/specs/od-microsoft-graph-v1.0.json")
header
for f in "${SPECS[@]}"; do
  name=$(basename "$f")
  size_mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$f\")/1e6:.1f}')")
  measure "oaskit load ($size_mb MB)" "$name" "$RUNS" "$LOAD" "$f"; ours=$LAST_MEDIAN
  "$LOAD" "$f" | sed 's/^/    /'
  if [ -x "$PEERS/node_modules/.bin/redocly" ]; then
    measure "redocly lint" "$name" "$PEER_RUNS" "$PEERS/node_modules/.bin/redocly" lint "$f" --format=summary
    echo "    redocly / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
  fi
  if [ -x "$PEERS/venv/bin/openapi-spec-validator" ]; then
    measure "openapi-spec-validator" "$name" "$PEER_RUNS" "$PEERS/venv/bin/openapi-spec-validator" "$f"
    echo "    openapi-spec-validator / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
  fi
done
