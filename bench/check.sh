#!/usr/bin/env bash
# Wall time of the whole gate (`oaskit check`): on this repository, and on a config covering
# three large real specs (GitHub 13 MB, Stripe, OpenAI), each validated (structure + examples),
# diffed against its previous real version, and its TypeScript client and Rust server checked
# against freshly generated copies. Run by hand: bench/check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CORPUS=$(cd "${CORPUS:-../shared/corpus}" && pwd)
cargo build --release >/dev/null 2>&1 || { echo "build failed"; exit 2; }
OASKIT=$(pwd)/target/release/oaskit

header
measure "oaskit check (this repository)" "oaskit.toml" "$RUNS" "$OASKIT" check --format json

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pairs=(
  "github:$CORPUS/pairs/github/octokit-openapi-18.0.0.json:$CORPUS/pairs/github/octokit-openapi-23.0.2.json"
  "stripe:$CORPUS/pairs/stripe/2022-04-07.json:$CORPUS/pairs/stripe/2022-04-12.json"
  "openai:$CORPUS/pairs/openai/2026-08-14_23e6f5b.yaml:$CORPUS/pairs/openai/2026-08-14_c094647.yaml"
)
: > "$work/oaskit.toml"
for entry in "${pairs[@]}"; do
  IFS=: read -r name base revision <<<"$entry"
  ext=${revision##*.}
  cp "$revision" "$work/$name.$ext"
  cp "$base" "$work/$name-base.$ext"
  (cd "$work" && "$OASKIT" generate ts-client "$name.$ext" -o "gen/$name-ts" 2>/dev/null \
     && "$OASKIT" generate rust-server "$name.$ext" -o "gen/$name-rs" 2>/dev/null)
  cat >> "$work/oaskit.toml" <<TOML
[[specs]]
path = "$name.$ext"
base = "$name-base.$ext"
generate = [{ target = "ts-client", output = "gen/$name-ts" }, { target = "rust-server", output = "gen/$name-rs" }]

TOML
done
(cd "$work" && measure "oaskit check (3 large specs)" "github+stripe+openai" "$RUNS" "$OASKIT" check --format json)
(cd "$work" && "$OASKIT" check --format json | python3 -c "import json,sys; print('   findings:', json.load(sys.stdin)['summary'])")
