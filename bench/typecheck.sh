#!/usr/bin/env bash
# How to give gograde-check (checker/) the types of the packages a file
# imports, measured: wall time per check of one file, each way, alternating
# in the same run with the same warm Go build cache, with the compile the
# check runs beside (`go test -c -race` of the staged package) as the
# reference.
#
#   bench/typecheck.sh [EXERCISE] [SOLUTION] [RUNS]
#
# Ways: export (the default: export data from the build cache through a
# remembered path map), golist (`go list -race -export` every time), vet
# (run as `go vet -vettool`, which hands over export data), source (types
# from GOROOT's sources every time). Defaults: json (the heaviest imports:
# encoding/json), its reference solution, 10 runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exercise=${1:-json}
solution=${2:-$root/exercises/$exercise/solutions/good/reference.go}
runs=${3:-10}

export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
export GOCACHE=$GOGRADE_CACHE/go-build GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root/checker" && CGO_ENABLED=0 go build -o "$work/gograde-check" .)
check=$work/gograde-check

# The staged packages, as gograde stages them (scripts/stage-harness.sh);
# the check reads only the solution; vet gets a package of the solution
# alone.
stage=$work/stage
mkdir -p "$work/alone"
"$root/scripts/stage-harness.sh" "$exercise" "$solution" "$stage"
printf 'module gograde.local/solution\n\ngo 1.25\n' > "$work/alone/go.mod"
cp "$stage/solution.go" "$work/alone/"

now_ms() { date +%s%3N; }
fresh() { local d; d=$(mktemp -d -p "$work"); cp -r "$1"/. "$d/"; echo "$d"; }
way_export() { (cd "$stage" && "$check" -exports "$work/exports.json" -go "$(command -v go)" solution.go); }
way_golist() { (cd "$stage" && "$check" -importer golist solution.go); }
way_source() { (cd "$stage" && "$check" -importer source solution.go); }
way_vet() { local d; d=$(fresh "$work/alone"); (cd "$d" && go vet -vettool="$check" . 2>&1); rm -rf "$d"; }
way_compile() { local d; d=$(fresh "$stage"); (cd "$d" && go test -c -race -vet=off -o x.test . 2>&1); rm -rf "$d"; }

ways=(export golist vet source compile)
declare -A times
for w in "${ways[@]}"; do "way_$w" >/dev/null || { echo "way $w failed" >&2; exit 1; }; done
# The check must see what the build sees: a sample of its findings.
way_export | head -c 300; echo
for _ in $(seq "$runs"); do
  for w in "${ways[@]}"; do
    t=$(now_ms); "way_$w" >/dev/null; times[$w]+="$(( $(now_ms) - t )) "
  done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
echo "exercise=$exercise solution=$(basename "$solution") runs=$runs nproc=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)"
c=$(median "${times[compile]}")
for w in "${ways[@]}"; do
  m=$(median "${times[$w]}")
  awk -v w="$w" -v m="$m" -v c="$c" -v all="${times[$w]}" \
    'BEGIN { printf "%-8s median %5d ms  (%.2f of the compile)  [%s]\n", w, m, m / c, all }'
done
