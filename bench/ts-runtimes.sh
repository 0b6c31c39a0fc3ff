#!/usr/bin/env bash
# The generated TypeScript client under other runtimes than node (by hand, never by CI: it uses
# whatever bun and deno it finds, and downloads nothing). For each of node, bun and deno:
#  1. bench/ts-runtimes/scenario.ts against examples/petstore-example (plain calls, ok: false
#     narrowing, multipart uploads, credentials) and a local server (retry, timeout, abort);
#  2. the client's behaviour suites (tests/ts/*.test.ts: wire styles, retries, hooks, pagination,
#     streaming), with `node --test`, `bun test` and `deno test` (all three run node:test files);
# then a browser bundle of one call (esbuild --platform=browser) must import nothing from `node:`.
# bun and deno from PATH or BUN/DENO; without network they install from the npm registry:
#   npm install --prefix /tmp/rt bun deno   (bun's binary: @oven/bun-linux-x64/bin/bun; if npm left
#   it out, `npm pack @oven/bun-linux-x64` and untar it)
# OASKIT=path/to/oaskit and SERVER=path/to/petstore-example skip the builds.
# Prints one PASS/FAIL/SKIP line per runtime and step; exits 1 if any step failed.
# Known runtime difference (deno 2.9.6): its fetch resends a POST, once, when the server resets a
# reused keep-alive connection after reading the request, so retries.test's "a POST is not retried
# ... on a network error" fails under deno: the runtime, not the client, sends the second attempt.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TSC=$ROOT/node_modules/.bin/tsc
ESBUILD=$ROOT/node_modules/.bin/esbuild
[ -x "$TSC" ] && [ -x "$ESBUILD" ] || { echo "no tsc/esbuild in node_modules: run npm ci"; exit 2; }
BUN=${BUN:-$(command -v bun || true)}
DENO=${DENO:-$(command -v deno || true)}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ -z "${OASKIT:-}" ]; then
  cargo build --bin oaskit >/dev/null 2>&1 || { echo "build of oaskit failed"; exit 2; }
  OASKIT=$TARGET/debug/oaskit
fi
if [ -z "${SERVER:-}" ]; then
  cargo build --release -p petstore-example >/dev/null 2>&1 || { echo "build of petstore-example failed"; exit 2; }
  SERVER=$TARGET/release/petstore-example
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# The workspace: the clients (the committed petstore one, and the test specs' ones), the scenario
# and the suites, compiled by tsc to ES2022 modules, as tests/ts_client.rs lays it out.
mkdir -p "$WORK/tests" "$WORK/scenario"
cp -r generated/ts-client "$WORK/petstore"
for spec in styles names sdk; do
  "$OASKIT" generate ts-client "tests/ts/$spec.yaml" -o "$WORK/$spec" >/dev/null || { echo "generate $spec failed"; exit 2; }
done
cp tests/ts/*.ts "$WORK/tests/"
cp bench/ts-runtimes/scenario.ts "$WORK/scenario/"
ln -s "$ROOT/node_modules" "$WORK/node_modules"
echo '{"type": "module", "private": true}' >"$WORK/package.json"
cat >"$WORK/tsconfig.json" <<'JSON'
{"compilerOptions": {"target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
  "lib": ["ES2022", "DOM"], "types": ["node"], "strict": true, "skipLibCheck": true,
  "rootDir": ".", "outDir": "dist"},
 "include": ["petstore/src", "styles/src", "names/src", "sdk/src", "tests", "scenario"]}
JSON
(cd "$WORK" && node "$TSC" -p tsconfig.json) || { echo "tsc failed"; exit 2; }

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export PETSTORE_API_KEY=staff-key PETSTORE_BEARER_TOKEN=staff-token
"$SERVER" --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
BASE=http://127.0.0.1:$PORT/v1

FAILED=0
report() { # report RUNTIME STEP STATUS DETAIL
  printf '%-6s %-9s %-5s %s\n' "$1" "$2" "$3" "$4"
  [ "$3" = FAIL ] && FAILED=1
  return 0
}
suites() { ls "$WORK"/dist/tests/*.test.js; }

run_runtime() { # run_runtime NAME VERSION SCENARIO_CMD... -- SUITE_CMD...
  local name=$1 version=$2; shift 2
  local scenario=() suite=()
  while [ "$1" != -- ]; do scenario+=("$1"); shift; done
  shift
  suite=("$@")
  local log=$WORK/$name-scenario.log
  if (cd "$WORK" && timeout 60 "${scenario[@]}") >"$log" 2>&1 && grep -q "scenario ok" "$log"; then
    report "$name" scenario PASS "$version: $(grep -c '^ok ' "$log") steps"
  else
    report "$name" scenario FAIL "$version: see below"; sed 's/^/    /' "$log" | tail -20
  fi
  log=$WORK/$name-suites.log
  (cd "$WORK" && timeout 300 "${suite[@]}" $(suites)) >"$log" 2>&1
  local rc=$?
  local summary; summary=$(grep -E '^(# )?(pass|fail|ok|FAILED|ℹ (pass|fail)) |[0-9]+ (pass|fail)|passed|failed' "$log" | tail -3 | tr '\n' ' ')
  if [ $rc -eq 0 ]; then report "$name" suites PASS "$summary"
  else report "$name" suites FAIL "exit $rc: $summary"; grep -E 'not ok|✖|\(fail\)|error:|Error' "$log" | head -30 | sed 's/^/    /'; fi
}

run_runtime node "$(node --version)" node dist/scenario/scenario.js "$BASE" -- node --test
if [ -n "$BUN" ]; then
  run_runtime bun "bun $("$BUN" --version)" "$BUN" dist/scenario/scenario.js "$BASE" -- "$BUN" test
else report bun all SKIP "no bun (PATH or BUN)"; fi
if [ -n "$DENO" ]; then
  run_runtime deno "$("$DENO" --version | head -1)" "$DENO" run -A dist/scenario/scenario.js "$BASE" -- "$DENO" test -A
else report deno all SKIP "no deno (PATH or DENO)"; fi
grep -q "photo of pet" "$WORK/server.log" && report server upload PASS "$(grep -c 'photo of pet' "$WORK/server.log") photos received"

# A browser bundle of one call: no node: imports, no node globals.
cat >"$WORK/browser.ts" <<'TS'
import { getPet } from "./petstore/src/operations/pets.js";
const result = await getPet({ baseUrl: "https://api.example/v1" }, { petId: 1 });
if (result.ok) console.log(result.data.name);
TS
if "$ESBUILD" "$WORK/browser.ts" --bundle --format=esm --platform=browser --target=es2022 \
  --outfile="$WORK/browser.js" --log-level=error; then
  if grep -nE 'node:|require\(|process\.|(^|[^A-Za-z])Buffer\.' "$WORK/browser.js" >"$WORK/browser.grep"; then
    report browser bundle FAIL "node-only references:"; head "$WORK/browser.grep"
  else
    report browser bundle PASS "$(wc -c <"$WORK/browser.js") B, no node:, require(, process. or Buffer."
  fi
else report browser bundle FAIL "esbuild failed"; fi
exit $FAILED
