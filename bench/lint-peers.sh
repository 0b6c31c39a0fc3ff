#!/usr/bin/env bash
# oaskit validate, Spectral (spectral:oas) and Redocly (recommended) side by side on the lint
# cases of tests/fixtures/lint (one mistake each, with its expected rule, level and line): caught
# at the right line, caught elsewhere, missed, extra findings, noise on the two clean base specs,
# time per file. Peers from bench setup (`/work/shared/bench/setup-peers.sh`, or only
# `npm install @redocly/cli@2.77.0 @stoplight/spectral-cli@6.16.3` in $PEERS).
# Usage: bench/lint-peers.sh [OUT_DIR]   (run by hand, never by the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
OUT=${1:-$(mktemp -d)}
cargo build --release --bin oaskit >/dev/null
python3 bench/lint_peers.py target/release/oaskit "$PEERS/node_modules/.bin" tests/fixtures/lint "$OUT"
