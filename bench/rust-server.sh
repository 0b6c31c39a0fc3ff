#!/usr/bin/env bash
# The Rust server generator on the largest specs (too slow for CI): for each, generation time
# and peak memory, lines generated, `cargo check` time of the generated crate, and whether
# `cargo clippy -- -D warnings` passes. Dependencies compile once, in a shared
# target directory, before the first timing.
# Usage: bench/rust-server.sh [SPEC...]   (default: GitHub, Stripe, OpenAI, Microsoft Graph)
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CORPUS=${CORPUS:-../shared/corpus}
export CARGO_TARGET_DIR=${OASKIT_RUST_TARGET_DIR:-$PWD/target/rust-corpus}
if [ $# -gt 0 ]; then SPECS=("$@"); else SPECS=(
  "$CORPUS/specs/github-ghes-3.6.json"
  "$CORPUS/specs/github-webhooks.json"
  "$CORPUS/specs/stripe-spec3.yaml"
  "$CORPUS/specs/openai-openapi.yaml"
  "$CORPUS/specs/od-microsoft-graph-v1.0.json"
); fi
cargo build --release >/dev/null 2>&1 || { echo "build failed"; exit 2; }
OASKIT=$PWD/target/release/oaskit
WORK=$(mktemp -d /tmp/oaskit-rust-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# Warm the dependencies with the petstore server, so that timings are the generated crate's own.
"$OASKIT" generate rust-server specs/petstore.yaml -o "$WORK/warm" >/dev/null 2>&1
printf '\n[workspace]\n' >>"$WORK/warm/Cargo.toml"
(cd "$WORK/warm" && cargo check --quiet && cargo clippy --quiet) >/dev/null 2>&1

seconds() { /usr/bin/time -f '%e' -o "$WORK/t" "$@" >"$WORK/out" 2>&1; local rc=$?; cat "$WORK/t" | tail -1; return $rc; }

printf '%-32s %7s %7s %8s %9s %9s %9s %s\n' spec size_MB gen_s gen_MB lines check_s clippy_s result
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec")
  slug=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9\n' '-')
  dir="$WORK/$slug"
  size=$(python3 -c "import os; print(f'{os.path.getsize(\"$spec\")/1e6:.1f}')")
  # --allow-invalid: GitHub's specs have structural errors (duplicate paths) for which generation
  # is refused; without it this would time the refusal, not the generator.
  /usr/bin/time -v -o "$WORK/gen.time" "$OASKIT" generate rust-server --allow-invalid "$spec" -o "$dir" >"$WORK/gen.log" 2>&1
  code=$?
  gen_s=$(awk '/Elapsed \(wall/{n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/gen.time")
  gen_mb=$(awk '/Maximum resident/{printf "%.0f", $NF/1024}' "$WORK/gen.time")
  if [ "$code" -ne 0 ]; then
    printf '%-32s %7s %7s %8s %9s %9s %9s %s\n' "$name" "$size" "$gen_s" "$gen_mb" - - - "FAIL (generation exit $code)"
    continue
  fi
  printf '\n[workspace]\n' >>"$dir/Cargo.toml"
  lines=$(cat "$dir"/src/*.rs | wc -l)
  check_s=$(cd "$dir" && seconds cargo check --quiet) || check_s="$check_s!"
  clippy_s=$(cd "$dir" && seconds cargo clippy --quiet -- -D warnings)
  result=$([ $? -eq 0 ] && echo pass || echo "FAIL (clippy: $(grep -c '^error' "$WORK/out") errors)")
  printf '%-32s %7s %7s %8s %9s %9s %9s %s\n' "$name" "$size" "$gen_s" "$gen_mb" "$lines" "$check_s" "$clippy_s" "$result"
  rm -rf "$dir"
done
