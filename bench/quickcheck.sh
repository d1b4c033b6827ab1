#!/usr/bin/env bash
# Quick-check benchmark (issue 16): for each exercise, `gograde grade` of its
# reference solution against the floor, a bare `GORACE=atexit_sleep_ms=0 go
# test -race -count=1 -vet=off .` of the same staged packages in a fresh
# folder, alternating in the same rounds with the same warm build cache.
# Prints, per exercise, the ratio gograde/bare of the medians and the
# per-round ratio's min and max, with the load average seen.
#
#   bench/quickcheck.sh [ROUNDS] [EXERCISE...]
#
# Defaults: 9 rounds, every exercise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-9}
shift || true
exercises=("$@")
[ ${#exercises[@]} -gt 0 ] || exercises=(reverse counter workerpool retry json)

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=${GOGRADE_BIN:-$root/target/release/gograde}
source "$root/bench/quickcheck_lib.sh"
graded() {
  "$gograde" grade --exercise "$1" --format json \
    "$root/exercises/$1/solutions/good/reference.go" >/dev/null 2>&1 || true
}

declare -A bare_ms grade_ms
for ex in "${exercises[@]}"; do
  stage_exercise "$ex" "$root/exercises/$ex/solutions/good/reference.go"
  bare "$ex"; graded "$ex" # warm both paths
done
loads=()
for _ in $(seq "$rounds"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  for ex in "${exercises[@]}"; do
    t=$(now_ms); bare "$ex"; bare_ms[$ex]+="$(( $(now_ms) - t )) "
    t=$(now_ms); graded "$ex"; grade_ms[$ex]+="$(( $(now_ms) - t )) "
  done
done
echo "rounds=$rounds nproc=$(nproc) load average at each round: ${loads[*]}"
printf '%-11s %9s %9s %7s %5s %5s\n' exercise bare_ms grade_ms ratio min max
for ex in "${exercises[@]}"; do
  b=$(median "${bare_ms[$ex]}"); g=$(median "${grade_ms[$ex]}")
  paste -d' ' <(printf '%s\n' ${bare_ms[$ex]}) <(printf '%s\n' ${grade_ms[$ex]}) |
    awk -v ex="$ex" -v b="$b" -v g="$g" '
      { r = $2 / $1; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
      END { printf "%-11s %9d %9d %7.2f %5.2f %5.2f\n", ex, b, g, g / b, lo, hi }'
done
