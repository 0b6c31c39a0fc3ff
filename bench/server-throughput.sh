#!/usr/bin/env bash
# Throughput of the generated Rust server against a hand-written axum service doing the same work
# (#12's target: within 5%). The generated side is examples/petstore-example (specs/petstore.yaml on
# generated/rust-server); the hand-written side is bench/axum-baseline (the same models, checks,
# store and problem+json errors, written directly against axum). Two requests:
#   GET /v1/pets/1   path parameter parsed and checked, a pet serialized
#   PUT /v1/pets/1   a JSON body parsed and validated (lengths, minimum, enum, nested object),
#                    the pet updated and serialized
# Each server runs on core 0 (taskset), wrk on core 1 with 32 connections; the two servers take
# turns, ROUNDS times, and the median requests/s of each is reported with the ratio.
# Needs wrk (apt-get install wrk). Usage: bench/server-throughput.sh   (ROUNDS=3 SECONDS_EACH=10)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
cargo build --release -q -p petstore-example
CARGO_TARGET_DIR=$PWD/target/axum-baseline cargo build --release -q --manifest-path bench/axum-baseline/Cargo.toml
GENERATED=$PWD/target/release/petstore-example
BASELINE=$PWD/target/axum-baseline/release/axum-baseline
WORK=$(mktemp -d /tmp/oaskit-throughput.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

PET='{"name":"Rex","price":1999,"status":"available","tag":"dog","secretToken":"s3cr3t-t0ken","category":{"id":1,"name":"Dogs","parent":{"id":0,"name":"Animals"}}}'
cat >"$WORK/put.lua" <<LUA
wrk.method = "PUT"
wrk.body = '$PET'
wrk.headers["Content-Type"] = "application/json"
LUA

# start PORT CMD...: runs a server on core 0 and waits until it answers on PORT.
start() {
  local port=$1; shift
  taskset -c 0 "$@" >"$WORK/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/v1/pets/1" && return 0
    sleep 0.1
  done
}

# rps URL [LUA]: requests per second of one wrk run on core 1 (non-2xx answers fail the run).
rps() {
  local url=$1 script=${2:-}
  local args=(-t1 -c32 -d"${SECONDS_EACH}s" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  taskset -c 1 wrk "${args[@]}" "$url" >"$WORK/wrk.out"
  if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "non-2xx answers from $url:" >&2; cat "$WORK/wrk.out" >&2; exit 1; fi
  awk '/Requests\/sec/{print $2}' "$WORK/wrk.out"
}

PETSTORE_API_KEY=bench PETSTORE_BEARER_TOKEN=bench start 8090 "$GENERATED" --listen 127.0.0.1:8090
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$PET" http://127.0.0.1:8090/v1/pets
start 8091 "$BASELINE" 127.0.0.1:8091
for port in 8090 8091; do
  curl -sf -o /dev/null "http://127.0.0.1:$port/v1/pets/1" || { echo "server on $port did not answer"; exit 1; }
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$PET" "http://127.0.0.1:$port/v1/pets/1" \
    || { echo "PUT on $port failed"; exit 1; }
done

declare -A RESULTS
for round in $(seq "$ROUNDS"); do
  for side in generated:8090 baseline:8091; do
    name=${side%%:*}; port=${side##*:}
    RESULTS[$name-get]+="$(rps "http://127.0.0.1:$port/v1/pets/1") "
    RESULTS[$name-put]+="$(rps "http://127.0.0.1:$port/v1/pets/1" "$WORK/put.lua") "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
printf '%-22s %14s %14s %8s\n' request generated_rps baseline_rps ratio
for req in get put; do
  g=$(echo "${RESULTS[generated-$req]}" | median); b=$(echo "${RESULTS[baseline-$req]}" | median)
  printf '%-22s %14s %14s %8s\n' "$( [ $req = get ] && echo 'GET /v1/pets/1' || echo 'PUT /v1/pets/1 (JSON)')" "$g" "$b" \
    "$(python3 -c "print(f'{$g/$b:.3f}')")"
done
echo "runs: generated get ${RESULTS[generated-get]}| put ${RESULTS[generated-put]}"
echo "runs: baseline  get ${RESULTS[baseline-get]}| put ${RESULTS[baseline-put]}"
