#!/usr/bin/env bash
# oaskit probe and Schemathesis side by side on the probe target (tests/probe_target: 25 seeded
# contract bugs, and the correct twin): found / false alarms / requests / time per run.
# Needs `pip install schemathesis`. Usage: bench/probe-bugs.sh [RUNS] (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin oaskit --example probe_target
python3 bench/probe_bugs.py target/release/oaskit target/release/examples/probe_target "${1:-5}"
