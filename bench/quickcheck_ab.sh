#!/usr/bin/env bash
# Quick check, A/B: the floor (a bare, tuned `go test -race -count=1
# -vet=off` of the staged package in a fresh folder),
# one or more baseline gograde binaries (say, built from earlier commits)
# and this tree's, alternating in the same run with the same warm cache:
# medians and each one's ratio to bare. For measuring what a change to the
# pipeline costs.
#
#   bench/quickcheck_ab.sh BASELINE_GOGRADE[,BASELINE2...] [EXERCISE] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baseline=$1
exercise=${2:-reverse}
runs=${3:-11}
solution=$root/exercises/$exercise/solutions/good/reference.go

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
current=$root/target/release/gograde
source "$root/bench/quickcheck_lib.sh"
stage_exercise "$exercise" "$solution"
bare_floor() { bare "$exercise"; }
IFS=, read -r -a baselines <<<"$baseline"
ways=(bare_floor)
for i in "${!baselines[@]}"; do
  eval "baseline$i() { \"${baselines[$i]}\" grade --exercise \"\$exercise\" --format json \"\$solution\" >/dev/null 2>&1 || true; }"
  ways+=("baseline$i")
done
current() { "$current" grade --exercise "$exercise" --format json "$solution" >/dev/null 2>&1 || true; }
ways+=(current)
for w in "${ways[@]}"; do "$w"; done
declare -A times
for _ in $(seq "$runs"); do
  for w in "${ways[@]}"; do
    t=$(now_ms); "$w"; times[$w]+="$(( $(now_ms) - t )) "
  done
done
b=$(median "${times[bare_floor]}")
echo "exercise=$exercise runs=$runs nproc=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)"
for w in "${ways[@]}"; do
  m=$(median "${times[$w]}")
  awk -v w="$w" -v m="$m" -v b="$b" -v all="${times[$w]}" \
    'BEGIN { printf "%-9s median %5d ms  ratio %.2f  [%s]\n", w, m, m / b, all }'
done
