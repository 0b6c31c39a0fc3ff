#!/usr/bin/env bash
# How `oaskit diff` grows with the size of a spec and the number of changes: synthetic pairs
# (bench/diff_scale.py) with N schemas and 2N operations where 1% of the schemas change a
# property type, for each N of SIZES; wall time and peak RSS of the diff with the changes and
# of the base diffed with itself. Target (#14): N = 16,000 in at most 6 s and 1 GB.
# Usage: bench/diff-scale.sh            (SIZES="1000 4000 16000" by default)
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SIZES=${SIZES:-1000 4000 16000}
cargo build --release --bin oaskit >/dev/null 2>&1 || { echo "build failed"; exit 2; }
BIN=target/release/oaskit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "load: $(uptime | sed 's/.*load average: //')"
header
for n in $SIZES; do
  python3 bench/diff_scale.py "$n" "$WORK/$n"
  size=$(du -m "$WORK/$n/revision.json" | cut -f1)
  measure "oaskit diff (1% changed)" "N=$n (${size} MB)" "$RUNS" \
    "$BIN" diff "$WORK/$n/base.json" "$WORK/$n/revision.json" --format json --fail-on never
  summary=$("$BIN" diff "$WORK/$n/base.json" "$WORK/$n/revision.json" --format json --fail-on never |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d findings, %d operations listed" % (len(d["findings"]), sum(len(f.get("operations", [])) or 1 for f in d["findings"])))')
  echo "    $summary"
  measure "oaskit diff (itself)" "N=$n (${size} MB)" "$RUNS" \
    "$BIN" diff "$WORK/$n/base.json" "$WORK/$n/base.json" --format json --fail-on never
  rm -rf "${WORK:?}/$n"
done
