#!/usr/bin/env bash
# Validating every example of the GitHub and Stripe specs: `oaskit validate` (release) side by side
# with `redocly lint` and `spectral lint` in the same run, each peer restricted to its example
# rules (redocly: no-invalid-media-type-examples, no-invalid-schema-examples,
# no-invalid-parameter-examples; spectral: oas3-valid-media-example, oas3-valid-schema-example).
# Prints the median wall time, the peak RSS and peer / oaskit ratios.
# Usage: bench/examples.sh   (peers from ../shared/bench/setup-peers.sh, default in /tmp/peers;
#        RUNS=5 oaskit runs, PEER_RUNS=1 peer runs: spectral takes minutes on GitHub)
set -uo pipefail
cd "$(dirname "$0")/.."
PEER_RUNS=${PEER_RUNS:-1}
source bench/lib.sh
CORPUS=${CORPUS:-../shared/corpus}
cargo build --release >/dev/null 2>&1 || { echo "build failed"; exit 2; }
OASKIT=${CARGO_TARGET_DIR:-$PWD/target}/release/oaskit
SPECS=(
  "$CORPUS/specs/github-ghes-3.6.json"
  "$CORPUS/pairs/github/octokit-openapi-23.0.2.json"
  "$CORPUS/specs/stripe-spec3.yaml"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/redocly.yaml" <<'EOF'
rules:
  no-invalid-media-type-examples: error
  no-invalid-schema-examples: error
  no-invalid-parameter-examples: error
EOF
cat >"$work/spectral.yaml" <<'EOF'
extends: [["spectral:oas", "off"]]
rules:
  oas3-valid-media-example: error
  oas3-valid-schema-example: error
EOF
REDOCLY=$PEERS/node_modules/.bin/redocly
SPECTRAL=$PEERS/node_modules/.bin/spectral

header
for f in "${SPECS[@]}"; do
  [ -f "$f" ] || { echo "missing $f"; continue; }
  name=$(basename "$f")
  measure "oaskit validate" "$name" "$RUNS" "$OASKIT" validate --format json "$f"; ours=$LAST_MEDIAN
  "$OASKIT" validate --format json "$f" 2>/dev/null | python3 -c "
import collections, json, sys
d = json.load(sys.stdin)
c = collections.Counter(x['rule'] for x in d['findings'] if x['rule'].startswith(('example-', 'default-')))
print('    oaskit example findings:', dict(sorted(c.items())) or 'none')"
  if [ -x "$REDOCLY" ]; then
    measure "redocly lint (example rules)" "$name" "$PEER_RUNS" \
      "$REDOCLY" lint "$f" --config "$work/redocly.yaml" --format=summary --max-problems 100000
    echo "    redocly / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
  fi
  if [ -x "$SPECTRAL" ]; then
    measure "spectral lint (example rules)" "$name" "$PEER_RUNS" \
      "$SPECTRAL" lint -r "$work/spectral.yaml" -f json -q "$f"
    echo "    spectral / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
  fi
done
