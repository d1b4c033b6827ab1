#!/usr/bin/env bash
# Cold first grade (issue 16): `gograde grade` of one exercise's reference
# solution with an empty gograde cache (so an empty Go build cache: the
# race-instrumented standard library, the kit, the type-aware check and
# vet's export data all built from nothing), against a bare `GORACE=
# atexit_sleep_ms=0 go test -race -count=1 -vet=off .` of the same staged
# packages with an empty Go build cache, alternating, ROUNDS times each.
# Prints the medians and their ratio, with the load average seen.
#
#   bench/coldstart.sh [EXERCISE] [ROUNDS]
#
# Each run takes about a minute on a 2-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exercise=${1:-reverse}
rounds=${2:-3}
solution=$root/exercises/$exercise/solutions/good/reference.go

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=${GOGRADE_BIN:-$root/target/release/gograde}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1
mkdir -p "$work/stage"
"$root/scripts/stage-harness.sh" "$exercise" "$solution" "$work/stage" >/dev/null

now_ms() { date +%s%3N; }
median() { printf '%s\n' $* | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
fresh_cache() { chmod -R u+w "$work/cache" 2>/dev/null || true; rm -rf "$work/cache"; mkdir -p "$work/cache"; }

bare() {
  fresh_cache
  local dir; dir=$(mktemp -d -p "$work")
  cp -r "$work/stage"/. "$dir/"
  (cd "$dir" && GOCACHE=$work/cache/go-build GORACE=atexit_sleep_ms=0 \
    go test -race -count=1 -vet=off . >/dev/null 2>&1) || true
  rm -rf "$dir"
}
graded() {
  fresh_cache
  GOGRADE_CACHE=$work/cache "$gograde" grade --exercise "$exercise" --format json \
    "$solution" >"$work/verdict.json" 2>/dev/null || true
  jq -e '.status == "pass"' "$work/verdict.json" >/dev/null || echo "warning: the cold grade did not pass" >&2
}

bare_ms=(); grade_ms=(); loads=()
for _ in $(seq "$rounds"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  t=$(now_ms); bare; bare_ms+=($(( $(now_ms) - t )))
  t=$(now_ms); graded; grade_ms+=($(( $(now_ms) - t )))
done
b=$(median "${bare_ms[@]}"); g=$(median "${grade_ms[@]}")
echo "exercise=$exercise rounds=$rounds nproc=$(nproc) load average at each round: ${loads[*]}"
echo "bare go test -race, empty cache: median ${b} ms  [${bare_ms[*]}]"
echo "gograde grade, empty cache:      median ${g} ms  [${grade_ms[*]}]"
awk -v g="$g" -v b="$b" 'BEGIN { printf "ratio gograde/bare: %.2f (target <= 1.05)\n", g / b }'
