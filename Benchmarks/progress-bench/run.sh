#!/usr/bin/env bash
# Scale benchmark for `ladder progress`: 10,000 learners x 100 items x 3 attempts (3 million
# attempt rows) through the generic CSV importer into a fresh store, then a cohort report.
# Prints wall time and peak RSS per phase. Not part of the test suite (no timed tests).
#   Benchmarks/progress-bench/run.sh [--learners N] [--items N] [--attempts N] [--reimport]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH="${SCRATCH:-/tmp/ladder-progress-release}"
swift build -c release --scratch-path "$SCRATCH" --product ladder >&2
exec "$SCRATCH/release/ladder" progress bench --work "${WORK:-/tmp/ladder-progress-bench}" "$@"
