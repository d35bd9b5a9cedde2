#!/usr/bin/env bash
# Fuzz/ci.sh [SECONDS] — CI's fuzzing step: build the fuzz package (AddressSanitizer and
# libFuzzer) and run every target for SECONDS (default 30) from its corpus, which holds every
# earlier finding, so a regression fails at once. Exits non-zero when the build fails or any
# target crashes, hangs or runs out of memory; the input is then in Fuzz/Crashes/TARGET/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case "$(basename "$root" | tr '[:upper:]' '[:lower:]')" in
    fuzz) echo "ci.sh: the checkout's folder is named '$(basename "$root")', which SwiftPM confuses with Fuzz/;" \
              "check out into a folder with another name" >&2; exit 2 ;;
esac
start=$(date +%s)
FUZZ_NICE=${FUZZ_NICE:-0} "$root/Fuzz/run.sh" all "${1:-30}"
status=$?
echo "fuzzing: $((($(date +%s) - start))) s in all, $([ $status -eq 0 ] && echo 'nothing found' || echo 'FINDINGS: see above')"
exit $status
