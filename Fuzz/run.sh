#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS [libFuzzer flags…]   — build, then fuzz one target
# Fuzz/run.sh all SECONDS [libFuzzer flags…]      — build, then fuzz every target in turn
#
# TARGET is a folder of Fuzz/Corpus (curriculum, markdown, manifest, aicc, import-moodle-basic,
# import-moodle-interactions, import-talentlms, import-csv). Each run starts from the seeds and
# findings in Fuzz/Corpus/TARGET plus what earlier runs learnt (.build-fuzz/corpus/TARGET, not
# committed). A crash, hang (-timeout=10) or memory blow-up (-rss_limit_mb=2048) is written to
# Fuzz/Crashes/TARGET/. One summary line per run goes to stdout and .build-fuzz/summary.tsv.
# Exit status: 0 when no target found anything, else 1.
#
# Environment: FUZZ_NICE (default 19; the machine is shared), FUZZ_NO_BUILD=1 to skip the build,
# FUZZ_SCRATCH (default .build-fuzz) for the build, working corpora and logs.
# The build must run from a checkout whose folder is not named `fuzz` (SwiftPM would take the
# root package and Fuzz/ for the same package).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
targets=(curriculum markdown manifest aicc import-moodle-basic import-moodle-interactions import-talentlms import-csv)
[ $# -ge 2 ] || { sed -n '2,3p' "$0" >&2; exit 2; }
what=$1 seconds=$2
shift 2
if [ "$what" = all ]; then run=("${targets[@]}"); else run=("$what"); fi
for t in "${run[@]}"; do
    [ -d "Fuzz/Corpus/$t" ] || { echo "run.sh: no target '$t' (one of: ${targets[*]}, all)" >&2; exit 2; }
done

scratch=${FUZZ_SCRATCH:-.build-fuzz}
if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
    # Compiling takes -sanitize=fuzzer,address as ONE swiftc flag: SwiftPM's --sanitize=fuzzer
    # --sanitize=address become two swiftc flags in no fixed order, and swiftc keeps only the
    # last one, so half the builds fuzzed blind (no coverage). --sanitize=fuzzer stays for the
    # link (libFuzzer's main instead of SwiftPM's renamed entry point). The Swift flag
    # instruments every Swift module (Ladder's stage targets, Yams, GRDB); -Xcc the C ones (Yams' libyaml).
    swift build --package-path Fuzz --scratch-path "$scratch" -c debug --sanitize=fuzzer \
        -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
        2>&1 | grep -v 'Cannot export local symbol'
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "run.sh: the fuzz build failed" >&2; exit 1; }
fi
# The fuzzers read fixtures (the sample curriculum, the warehouse fixture) from here.
export LADDER_FUZZ_ROOT=$root
# Swift's runtime reports its own traps; ASan's leak checker sees Swift's caches as leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# Stores, zips and curriculum copies go to memory when it can (3x the executions per second).
tmp_base=/tmp; [ -w /dev/shm ] && tmp_base=/dev/shm
export LADDER_FUZZ_SCRATCH=$(mktemp -d "$tmp_base/ladder-fuzz.XXXXXX")
trap 'rm -rf "$LADDER_FUZZ_SCRATCH"' EXIT

status=0
for t in "${run[@]}"; do
    mkdir -p "$scratch/corpus/$t" "$scratch/logs" "Fuzz/Crashes/$t"
    log=$scratch/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log
    nice -n "${FUZZ_NICE:-19}" "$scratch/debug/fuzz-$t" "$scratch/corpus/$t" "Fuzz/Corpus/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="Fuzz/Crashes/$t/" "$@" > "$log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || status=1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    line=$(printf '%s\t%s\t%ss\truns=%s\texec/s=%s\tcov=%s\tft=%s\t%s' "$(date -u +%FT%TZ)" "$t" "$seconds" \
        "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$([ $rc -eq 0 ] && echo ok || echo "FOUND (exit $rc, see $log)")")
    echo "$line" | tee -a "$scratch/summary.tsv"
    [ $rc -eq 0 ] || grep -E 'ERROR|Fatal error|deadly signal|timeout|out-of-memory|artifact' "$log" | head -5
done
exit $status
