#!/usr/bin/env bash
# Batch benchmark: `gograde batch` against the hand-written `go test` command
# lines a user could run instead, on the same submissions, with the same warm
# build cache, in interleaved rounds (each round runs every command once, in
# turn, so a slow spell of a shared machine hits all of them alike). Prints
# medians in submissions per minute, each row's ratio to the best
# hand-written command, where gograde's time goes, and the ratio last.
#
#   bench/batch.sh [SUBMISSIONS] [ROUNDS] [GOGRADE_JOBS...]
#
# Defaults: 20 submissions (the five exercises' reference solutions in turn,
# each made unique by a comment), 3 rounds, gograde at --jobs 1 2 3.
#
# Every command builds fresh directories each round: the Go build cache keys
# a compiled package by its directory and contents, so reusing a directory
# would let a later command skip compile and link. gograde stages each
# submission in its own temp dir for the same reason.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
size=${1:-20}
rounds=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
jobs_list=("$@")
[[ ${#jobs_list[@]} -gt 0 ]] || jobs_list=(1 2 3)

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=$root/target/release/gograde
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
export GOCACHE=$GOGRADE_CACHE/go-build GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_submissions "$work/subs" "$size"

round=0
# run NAME COMMAND...: runs the command in a fresh module copy ($mod) and
# records its wall time under NAME.
declare -A times
run() {
  local name=$1; shift
  mod=$work/mod-$round-$RANDOM
  stage_module "$work/subs" "$mod"
  local t; t=$(now_ms)
  (cd "$mod" && "$@") >/dev/null 2>&1 || true
  times[$name]+="$(( $(now_ms) - t )) "
  rm -rf "$mod"
}
gograde_run() {
  local jobs=$1
  rm -rf "$work/out"
  local t; t=$(now_ms)
  "$gograde" batch "$work/subs" -o "$work/out" --jobs "$jobs" >/dev/null 2>&1 || true
  times["gograde batch --jobs $jobs"]+="$(( $(now_ms) - t )) "
  [[ $(wc -l < "$work/out/verdicts.jsonl") -eq $size ]] || { echo "gograde lost verdicts" >&2; exit 1; }
  cp "$work/out/verdicts.jsonl" "$work/verdicts-$jobs.jsonl"
}
per_package() { ls -d p*/ | xargs -P2 -I{} go test -race -count=1 ./{}; }

hand=(
  "go test -race -count=1 -vet=off -p 4 ./..."
  "go test -race -count=1 -vet=off -p 2 ./..."
  "GORACE=atexit_sleep_ms=0 go test -race -count=1 -vet=off -p 4 ./..."
  "xargs -P2 of bare go test -race per package"
)
all_one_round() {
  run "${hand[0]}" go test -race -count=1 -vet=off -p 4 ./...
  run "${hand[1]}" go test -race -count=1 -vet=off -p 2 ./...
  run "${hand[2]}" env GORACE=atexit_sleep_ms=0 go test -race -count=1 -vet=off -p 4 ./...
  run "${hand[3]}" per_package
  for j in "${jobs_list[@]}"; do gograde_run "$j"; done
}

echo "warming up (race runtime, harnesses)..." >&2
"$gograde" warm >/dev/null 2>&1 || true
all_one_round
times=()
for round in $(seq "$rounds"); do
  echo "round $round of $rounds..." >&2
  all_one_round
done

rate() { awk -v n="$size" -v ms="$1" 'BEGIN { printf "%.0f", n * 60000 / ms }'; }
best_hand_ms=
for name in "${hand[@]}"; do
  m=$(median ${times[$name]})
  [[ -z $best_hand_ms || $m -lt $best_hand_ms ]] && best_hand_ms=$m && best_hand=$name
done
best_gograde_ms=
for j in "${jobs_list[@]}"; do
  m=$(median ${times["gograde batch --jobs $j"]})
  [[ -z $best_gograde_ms || $m -lt $best_gograde_ms ]] && best_gograde_ms=$m && best_jobs=$j
done

mkdir -p "$work/none"
default_jobs=$("$gograde" batch "$work/none" -o "$work/none-out" 2>&1 | sed -nE 's/.*\(([0-9]+) at once\).*/\1/p' || true)
echo
echo "$size submissions (all five exercises), $rounds interleaved rounds, $(nproc) cores, medians; gograde's default --jobs here: ${default_jobs:-?}"
printf '| %-70s | %8s | %15s | %5s |\n' "command" "wall ms" "submissions/min" "ratio"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..72})" "----------" "-----------------" "-------"
rows=("${hand[@]}")
for j in "${jobs_list[@]}"; do rows+=("gograde batch --jobs $j"); done
for name in "${rows[@]}"; do
  m=$(median ${times[$name]})
  printf '| %-70s | %8s | %15s | %5s |\n' "$name" "$m" "$(rate "$m")" "$(awk -v b="$best_hand_ms" -v m="$m" 'BEGIN { printf "%.2f", b / m }')"
done
echo "every run (ms):"
for name in "${!times[@]}"; do echo "  $name: ${times[$name]}ms"; done | sort

# Where gograde's time goes: the per-submission timings of the best run.
echo
echo "gograde --jobs $best_jobs, per submission (medians over the last round, ms):"
python3 - "$work/verdicts-$best_jobs.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(l)["timings_ms"] for l in open(sys.argv[1])]
for key in ("stage", "compile", "run", "total"):
    vals = [r[key] for r in rows]
    print(f"  {key:<8} median {statistics.median(vals):>6.0f}  sum {sum(vals):>7}")
total = sum(r["total"] for r in rows) or 1
print(f"  compile (build + link, vet beside it) is {100 * sum(r['compile'] for r in rows) / total:.0f}% of grading time, run {100 * sum(r['run'] for r in rows) / total:.0f}%")
EOF
echo
awk -v g="$best_gograde_ms" -v b="$best_hand_ms" -v bn="$best_hand" -v j="$best_jobs" \
  'BEGIN { printf "ratio: gograde batch (--jobs %s) reaches %.2fx the throughput of the best hand-written command (%s); target >= 1.0\n", j, b / g, bn }'
