#!/usr/bin/env bash
# Quick-check benchmark: the time `gograde grade` takes for one file, next to
# a bare `GORACE=atexit_sleep_ms=0 go test -race -count=1` of the same staged
# package (harness + solution), run alternately on the same machine with the
# same warm build cache. Prints medians and the ratio gograde / bare.
#
#   bench/quickcheck.sh [EXERCISE] [SOLUTION] [RUNS]
#
# Defaults: reverse, its reference solution, 15 runs each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exercise=${1:-reverse}
solution=${2:-$root/exercises/$exercise/solutions/good/reference.go}
runs=${3:-15}

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=$root/target/release/gograde
source "$root/bench/quickcheck_lib.sh"
graded() { "$gograde" grade --exercise "$exercise" --format json "$solution" >/dev/null 2>&1 || true; }

# Warm both paths once.
bare; graded
bare_times=(); grade_times=()
for _ in $(seq "$runs"); do
  t=$(now_ms); bare; bare_times+=($(( $(now_ms) - t )))
  t=$(now_ms); graded; grade_times+=($(( $(now_ms) - t )))
done
b=$(median "${bare_times[@]}"); g=$(median "${grade_times[@]}")
echo "exercise=$exercise solution=$(basename "$solution") runs=$runs"
echo "bare go test -race -count=1 (atexit_sleep_ms=0): median ${b} ms  [${bare_times[*]}]"
echo "gograde grade:                                   median ${g} ms  [${grade_times[*]}]"
awk -v g="$g" -v b="$b" 'BEGIN { printf "ratio gograde/bare: %.2f (target <= 1.15)\n", g / b }'
