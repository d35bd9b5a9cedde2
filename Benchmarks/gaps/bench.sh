#!/usr/bin/env bash
# Times `ladder gaps` (and, with --build, `ladder build --track gaps`) on a cohort file, one
# format after another, and prints one line per run: load average before the run, wall clock,
# user and system CPU, peak memory (max RSS). See docs/gaps.md, "Benchmark".
#
#   Benchmarks/gaps/bench.sh .build/release/ladder /tmp/cohort-100k.csv /tmp/gaps-out [formats...]
#   Benchmarks/gaps/bench.sh .build/release/ladder /tmp/cohort-10k.csv /tmp/gaps-out --build
#
# Outputs are kept in the output folder (gaps-<N>.<format>) so two builds can be compared
# with cmp. Runs with nice, as the machine is shared.
set -euo pipefail
ladder=$1 cohort=$2 out=$3
shift 3
curriculum=${CURRICULUM:-curricula/customer-service}
mkdir -p "$out"
n=$(($(wc -l <"$cohort") - 1))
measure() { # label, command...
  local label=$1 log
  shift
  log=$(mktemp)
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  nice /usr/bin/time -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; rm -f "$log"; return 1; }
  awk -v label="$label" -v load="$load" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3 ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]) }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
    END { printf "%-12s wall %6.2f s  cpu %6.2f s (user %.2f, sys %.2f)  peak %4d MB  load %s\n", label, wall, user + sys, user, sys, rss / 1024, load }
  ' "$log"
  rm -f "$log"
}
if [ "${1:-}" = "--build" ]; then
  rm -rf "$out/exports"
  measure "build-$n" "$ladder" build "$curriculum" --learners "$cohort" --track gaps --out "$out/exports"
  exit
fi
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=(csv text html json)
for f in "${formats[@]}"; do
  measure "$f-$n" "$ladder" gaps "$curriculum" --learners "$cohort" --format "$f" -o "$out/gaps-$n.$f"
done
