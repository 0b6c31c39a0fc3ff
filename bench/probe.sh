#!/usr/bin/env bash
# Probe throughput (requests/s) against the generated petstore server on 127.0.0.1: 6,000 GET
# requests (3 operations x 2,000), 16 in flight, every response validated against the spec.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test e2e -- --ignored probe_throughput --nocapture 2>&1 | grep -E "requests/s|test result"
