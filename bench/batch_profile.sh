#!/usr/bin/env bash
# Where the time of a batch goes, for gograde and for the best hand-written
# command, on the same submissions: what amortising the go command (one
# `go test -c -o DIR/ ./...` for many submissions) could save.
#
#   bench/batch_profile.sh [SUBMISSIONS] [JOBS]
#
# Defaults: 20 submissions, gograde --jobs 3. One pass each (use
# bench/batch.sh for throughput with rounds and medians). Besides wall time
# it reports CPU time (user + sys of the command and every process it
# waited for), which a busy shared machine distorts far less than wall time:
#  1. the hand-written command split in two: build every test binary in one
#     go command, then run the binaries two at a time (with and without the
#     race runtime's 1 s exit sleep, which gograde turns off);
#  2. the same packages built one go command each, two at a time: the cost
#     of a go command per package;
#  3. go vet with gograde's analyzers over every package: what running vet
#     beside each build adds;
#  4. the whole hand-written command, and gograde batch, with the
#     per-submission timings from its verdicts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
size=${1:-20}
jobs=${2:-3}

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=$root/target/release/gograde
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
export GOCACHE=$GOGRADE_CACHE/go-build GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_submissions "$work/subs" "$size"
"$gograde" warm >/dev/null 2>&1 || true

# measure LABEL DIR COMMAND...: wall and CPU seconds of COMMAND run in DIR.
measure() {
  local label=$1 dir=$2; shift 2
  (cd "$dir" && /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1) || true
  # The last line: time(1) puts "Command exited with non-zero status" first
  # (a reverse reference fails its follow-up test, as it should).
  read -r wall user sys < <(tail -n 1 "$work/time")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "  %-66s wall %6.1f s  cpu %6.1f s\n", l, w, u + s }'
}
run_binaries() { ls "$1"/*.test | xargs -P2 -I{} sh -c "$2 {} -test.count=1 >/dev/null 2>&1"; }
build_each() { ls -d p*/ | xargs -P2 -I{} go test -race -vet=off -c -o "$1/{}" ./{}; }
export -f run_binaries

echo "$size submissions (all five exercises), $(nproc) cores, one pass each"
# Fresh module directories for every build, so none reuses another's.
stage_module "$work/subs" "$work/m1"
measure "build every test binary, one go command (go test -race -c -o DIR/ ./...)" "$work/m1" \
  go test -race -vet=off -c -o "$work/bin/" ./...
measure "run the binaries 2 at a time, default GORACE (1 s exit sleep)" "$work" \
  bash -c "run_binaries $work/bin ''"
measure "run the binaries 2 at a time, GORACE=atexit_sleep_ms=0" "$work" \
  bash -c "run_binaries $work/bin GORACE=atexit_sleep_ms=0"
stage_module "$work/subs" "$work/m2"
measure "build them one go command per package, 2 at a time" "$work/m2" \
  bash -c "$(declare -f build_each); build_each $work/bin2"
stage_module "$work/subs" "$work/m3"
measure "go vet (gograde's analyzers) over every package" "$work/m3" \
  go vet -copylocks -lostcancel -structtag -printf -atomic -unusedresult -stdmethods ./...
stage_module "$work/subs" "$work/m4"
measure "go test -race -count=1 -vet=off -p 4 ./... (whole)" "$work/m4" \
  go test -race -count=1 -vet=off -p 4 ./...
measure "gograde batch --jobs $jobs (whole)" "$work" \
  "$gograde" batch "$work/subs" -o "$work/out" --jobs "$jobs"
python3 - "$work/out/verdicts.jsonl" "$jobs" <<'PY'
import json, statistics, sys
rows = [json.loads(l)["timings_ms"] for l in open(sys.argv[1])]
jobs = int(sys.argv[2])
print("  gograde per submission (median ms): " + ", ".join(
    f"{k} {statistics.median(r[k] for r in rows):.0f}" for k in ("stage", "compile", "run", "total")))
c = sum(r["compile"] for r in rows); run = sum(r["run"] for r in rows); tot = sum(r["total"] for r in rows) or 1
print(f"  gograde summed over submissions: compile {c} ms ({100*c/tot:.0f}%), run {run} ms ({100*run/tot:.0f}%)")
PY
