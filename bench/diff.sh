#!/usr/bin/env bash
# `oaskit diff` on real consecutive versions of public APIs (../shared/corpus/pairs): wall time
# and peak RSS from /usr/bin/time -v, median of RUNS runs with hyperfine when installed. The
# target is the GitHub pair (octokit-openapi 18.0.0 → 23.0.2, ~10 MB each) in under 1 s.
# oasdiff runs side by side when `oasdiff` is on PATH (or OASDIFF=/path/to/oasdiff).
# Usage: bench/diff.sh [all]   ("all" times every consecutive pair, not only GitHub's)
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CORPUS=${CORPUS:-../shared/corpus}
OASDIFF=${OASDIFF:-$(command -v oasdiff || true)}
cargo build --release --bin oaskit >/dev/null 2>&1 || { echo "build failed"; exit 2; }
BIN=target/release/oaskit

pairs=("$CORPUS/pairs/github/octokit-openapi-18.0.0.json $CORPUS/pairs/github/octokit-openapi-23.0.2.json")
if [ "${1:-}" = all ]; then
  pairs=()
  for api in "$CORPUS"/pairs/*/; do
    mapfile -t versions < <(ls "$api" | sort)
    for ((i = 0; i + 1 < ${#versions[@]}; i++)); do
      pairs+=("$api${versions[$i]} $api${versions[$((i + 1))]}")
    done
  done
fi

header
for pair in "${pairs[@]}"; do
  read -r base revision <<<"$pair"
  name="$(basename "$(dirname "$base")")/$(basename "$base" | cut -c1-12)→$(basename "$revision" | cut -c1-12)"
  measure "oaskit diff" "$name" "$RUNS" "$BIN" diff "$base" "$revision" --format json --fail-on never
  ours=$LAST_MEDIAN
  summary=$("$BIN" diff "$base" "$revision" --format json --fail-on never | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("%d errors, %d warnings, %d infos" % (s["error"], s["warning"], s["info"]))')
  echo "    $summary"
  if [ -n "$OASDIFF" ]; then
    measure "oasdiff breaking" "$name" "$PEER_RUNS" "$OASDIFF" breaking "$base" "$revision"
    echo "    oasdiff / oaskit: $(ratio "$LAST_MEDIAN" "$ours")"
  fi
done

# The same run with the full /usr/bin/time -v report, for the record.
if [ "${1:-}" != all ]; then
  read -r base revision <<<"${pairs[0]}"
  /usr/bin/time -v "$BIN" diff "$base" "$revision" --format json --fail-on never 2>&1 >/dev/null |
    grep -E 'Elapsed|Maximum resident|User time|System time'
fi
