#!/usr/bin/env bash
# Generates the TypeScript client for every corpus spec into a temporary directory and runs
# `tsc --strict --noEmit` on it (with the usage file tests/ts/corpus/NAME.ts when there is one);
# prints one line per spec and fails if any spec does not generate or does not type-check. Two
# specs are checked at a time (the machines have 2 cores).
# Usage: .ci/ts-corpus.sh OASKIT CORPUS_DIR   (TypeScript from ./node_modules: run `npm ci` first)
set -uo pipefail
OASKIT=$(realpath "$1")
CORPUS=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TSC=$ROOT/node_modules/typescript/bin/tsc
JOBS=${TS_CORPUS_JOBS:-2}
[ -f "$TSC" ] || { echo "no TypeScript in $ROOT/node_modules: run npm ci"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_one() {
  local spec=$1 out=$2
  local name; name=$(basename "$spec")
  local dir="$out/$name.d"
  mkdir -p "$dir"
  local start end gen_s tsc_s
  start=$(date +%s.%N)
  if ! "$OASKIT" generate ts-client --allow-invalid "$spec" -o "$dir/client" >"$dir/gen.out" 2>"$dir/gen.err"; then
    printf 'FAIL  %-52s generate failed: %s\n' "$name" "$(tail -c 300 "$dir/gen.err" | tr '\n' ' ')" >"$dir/line"
    return
  fi
  end=$(date +%s.%N)
  gen_s=$(python3 -c "print(f'{$end-$start:.2f}')")
  # A usage file for the spec (tests/ts/corpus/NAME.ts) is compiled with its client: calls as
  # users write them, and misuse that must not compile (@ts-expect-error).
  local usage="$ROOT/tests/ts/corpus/${name%.*}.ts"
  [ -f "$usage" ] && cp "$usage" "$dir/client/src/usage.ts"
  local warnings; warnings=$(grep -c '^warning' "$dir/gen.err" || true)
  local size; size=$(du -sk "$dir/client/src" | cut -f1)
  start=$(date +%s.%N)
  if node --max-old-space-size=8192 "$TSC" --strict --noEmit -p "$dir/client/tsconfig.json" >"$dir/tsc.out" 2>&1; then
    end=$(date +%s.%N)
    tsc_s=$(python3 -c "print(f'{$end-$start:.1f}')")
    printf 'ok    %-52s generate %5ss  %6s KiB  tsc %6ss  %s approximations\n' "$name" "$gen_s" "$size" "$tsc_s" "$warnings" >"$dir/line"
  else
    printf 'FAIL  %-52s tsc: %s errors, first: %s\n' "$name" "$(grep -c 'error TS' "$dir/tsc.out")" \
      "$(grep -m1 'error TS' "$dir/tsc.out" | cut -c1-300)" >"$dir/line"
  fi
  rm -rf "$dir/client"
}
export -f check_one
export OASKIT TSC ROOT

# Biggest first, so the long ones overlap with the many small ones.
find "$CORPUS/specs" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -printf '%s %p\n' \
  | sort -rn | cut -d' ' -f2- >"$tmp/specs"
xargs -a "$tmp/specs" -d '\n' -P "$JOBS" -I{} bash -c 'check_one "$1" "$2"' _ {} "$tmp"

pass=0; fail=0
while IFS= read -r spec; do
  line="$tmp/$(basename "$spec").d/line"
  if [ -f "$line" ] && grep -q '^ok' "$line"; then pass=$((pass+1)); else fail=$((fail+1)); fi
  if [ -f "$line" ]; then cat "$line"; else printf 'FAIL  %-52s no result\n' "$(basename "$spec")"; fi
done < <(sort "$tmp/specs")
echo "ts-client corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
