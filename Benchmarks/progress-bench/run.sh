#!/usr/bin/env bash
# Scale benchmark for `ladder progress`: 10,000 learners x 100 items x 3 attempts (3 million
# attempt rows) through `ladder progress import` (generic CSV) into a fresh store.
# Prints wall time and peak RSS per command. Not part of the test suite (no timed tests).
#   Benchmarks/progress-bench/run.sh [--learners N] [--items N] [--attempts N] [--reimport] [--probe] [--report]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH="${SCRATCH:-/tmp/ladder-progress-release}"
swift build -c release --scratch-path "$SCRATCH" --product ladder >&2
swift build -c release --scratch-path "$SCRATCH" --product progress-bench >&2
exec "$SCRATCH/release/progress-bench" --ladder "$SCRATCH/release/ladder" --work "${WORK:-/tmp/ladder-progress-bench}" "$@"
