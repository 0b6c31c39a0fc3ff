#!/usr/bin/env bash
# Generates the Rust server of every corpus spec under 2 MB and lints all of them with
# `cargo clippy -- -D warnings`. The crates form one throwaway cargo workspace in
# the shared target directory, so dependencies compile once and both cores compile crates.
# Prints one line per spec and fails if any spec does not generate or does not pass clippy.
# Usage: .ci/rust-corpus.sh OASKIT CORPUS_DIR
# Env: OASKIT_RUST_TARGET_DIR (default target/rust-corpus, shared with tests/rust_server_hostile.rs),
#      RUST_CORPUS_MAX_BYTES (default 2000000), RUST_CORPUS_KEEP=1 keeps the generated crates,
#      RUST_CORPUS_BUDGET_SECS (default 2100): clippy stops there, so that this step cannot take
#      CI past its time limit; crates it did not reach are reported as skipped and fail the step
#      (the whole pass takes about 8 minutes of clippy on CI's 2 cores).
set -uo pipefail
OASKIT=$1
CORPUS=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${OASKIT_RUST_TARGET_DIR:-$ROOT/target/rust-corpus}
MAX_BYTES=${RUST_CORPUS_MAX_BYTES:-2000000}
WORK=$(mktemp -d /tmp/oaskit-rust-corpus.XXXXXX)
if [ "${RUST_CORPUS_KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; else echo "crates kept in $WORK"; fi
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2-$1:.2f}')"; }

start=$(now)
members=()
: >"$WORK/specs.tsv"
while IFS= read -r spec; do
  name=${spec#"$CORPUS"/specs/}
  slug=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9\n' '-' | tr 'A-Z' 'a-z')
  dir="$WORK/$slug"
  t0=$(now)
  "$OASKIT" generate rust-server --allow-invalid "$spec" -o "$dir" >"$WORK/$slug.gen.log" 2>&1
  code=$?
  secs=$(elapsed "$t0" "$(now)")
  if [ "$code" -ne 0 ] || [ ! -f "$dir/Cargo.toml" ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$slug" "$secs" 0 "generate-failed" >>"$WORK/specs.tsv"
    continue
  fi
  # Unique package names (two specs may share a title) inside one workspace.
  sed -i "0,/^name = .*/s//name = \"corpus-$slug\"/" "$dir/Cargo.toml"
  lines=$(cat "$dir"/src/*.rs | wc -l)
  findings=$(grep -c 'codegen-approximation' "$WORK/$slug.gen.log")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$slug" "$secs" "$lines" "$findings" >>"$WORK/specs.tsv"
  members+=("\"$slug\"")
done < <(find "$CORPUS/specs" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -size -"${MAX_BYTES}"c | sort)
gen_secs=$(elapsed "$start" "$(now)")

{
  echo "[workspace]"
  echo "resolver = \"3\""
  echo "members = [$(IFS=,; echo "${members[*]}")]"
} >"$WORK/Cargo.toml"
# The workspace lockfile pins what oaskit itself was tested with, where the versions overlap.
[ -f "$ROOT/Cargo.lock" ] && cp "$ROOT/Cargo.lock" "$WORK/Cargo.lock"

t0=$(now)
BUDGET=${RUST_CORPUS_BUDGET_SECS:-2100}
(cd "$WORK" && timeout "$BUDGET" cargo clippy --workspace --keep-going --message-format json -- -D warnings) \
  >"$WORK/clippy.json" 2>"$WORK/clippy.err"
clippy_code=$?
clippy_secs=$(elapsed "$t0" "$(now)")

python3 - "$WORK" "$clippy_code" <<'EOF'
import json, sys
work, clippy_code = sys.argv[1], int(sys.argv[2])
timed_out = clippy_code == 124
errors = {}
built = set()
for line in open(f"{work}/clippy.json", encoding="utf-8", errors="replace"):
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    target = msg.get("target", {})
    package = msg.get("package_id", "")
    # package ids look like `path+file:///tmp/.../slug#corpus-slug@0.1.0`
    slug = package.split("#")[0].rsplit("/", 1)[-1]
    if msg.get("reason") == "compiler-message" and msg["message"]["level"] in ("error", "warning"):
        text = msg["message"].get("rendered") or msg["message"]["message"]
        errors.setdefault(slug, []).append(text)
    if msg.get("reason") == "compiler-artifact" and "lib" in target.get("kind", []):
        built.add(slug)
passed = failed = skipped = 0
for row in open(f"{work}/specs.tsv"):
    name, slug, secs, lines, findings = row.rstrip("\n").split("\t")
    if findings == "generate-failed":
        failed += 1
        log = open(f"{work}/{slug}.gen.log", errors="replace").read()[-800:]
        print(f"FAIL  {name:<52} generation failed after {secs}s\n{log}")
        continue
    problems = errors.get(slug, [])
    if timed_out and not problems and slug not in built:
        skipped += 1
        print(f"skip  {name:<52} gen {float(secs):6.2f}s  {int(lines):7d} lines  (clippy time budget spent)")
        continue
    if problems or slug not in built:
        failed += 1
        print(f"FAIL  {name:<52} gen {float(secs):6.2f}s  {int(lines):7d} lines  clippy: {len(problems)} problems")
        for p in problems[:5]:
            print("      " + p.strip().replace("\n", "\n      ")[:1500])
    else:
        passed += 1
        print(f"ok    {name:<52} gen {float(secs):6.2f}s  {int(lines):7d} lines  {findings} findings")
if failed and clippy_code == 0:
    print("(clippy exited 0 but some crate was not built)")
print(f"rust-corpus: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or skipped or clippy_code not in (0, 124) else 0)
EOF
result=$?
if [ "$clippy_code" -ne 0 ] && [ "$clippy_code" -ne 124 ] && [ "$result" -eq 0 ]; then tail -20 "$WORK/clippy.err"; fi
if [ "$clippy_code" -eq 124 ]; then echo "clippy stopped after the ${BUDGET}s budget"; fi
echo "generation ${gen_secs}s, cargo clippy of all crates ${clippy_secs}s (shared target $CARGO_TARGET_DIR)"
exit $result
