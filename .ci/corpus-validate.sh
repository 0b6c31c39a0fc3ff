#!/usr/bin/env bash
# Runs `oaskit validate` on every corpus spec; prints one line per spec and fails if any spec
# could not be loaded (exit 2) or crashed (any other code).
set -uo pipefail
OASKIT=$1
CORPUS=$2
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS= read -r spec; do
  start=$(date +%s.%N)
  "$OASKIT" validate --format json "$spec" >"$tmp/out.json" 2>"$tmp/err.txt"
  code=$?
  end=$(date +%s.%N)
  secs=$(python3 -c "print(f'{$end-$start:.2f}')")
  summary=$(python3 -c "
import json,sys
try:
    d=json.load(open('$tmp/out.json')); s=d['summary']
    print(f\"{s['error']} errors, {s['warning']} warnings, {s['info']} infos\")
except Exception as e:
    print('no JSON output')
")
  name=${spec#"$CORPUS"/}
  if [ "$code" -eq 0 ] || [ "$code" -eq 1 ]; then
    pass=$((pass+1)); printf 'ok    %-70s exit %d  %6ss  %s\n' "$name" "$code" "$secs" "$summary"
  else
    fail=$((fail+1)); printf 'FAIL  %-70s exit %d  %6ss  %s\n' "$name" "$code" "$secs" "$(head -c 300 "$tmp/err.txt")"
  fi
done < <(find "$CORPUS/specs" "$CORPUS/pairs" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | sort)
echo "corpus validate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
