#!/usr/bin/env bash
# Where the time of a batch goes, for gograde and for the best hand-written
# command, on the same submissions: what amortising the go command (one
# `go test -c -o DIR/ ./...` for many submissions) could save.
#
#   bench/batch_profile.sh [SUBMISSIONS] [JOBS]
#
# Defaults: 20 submissions, gograde --jobs 3. One pass each (use
# bench/batch.sh for throughput with rounds and medians):
#  1. the hand-written command split in two: build every test binary in one
#     go command, then run the binaries two at a time (with and without the
#     race runtime's 1 s exit sleep, which gograde turns off);
#  2. the same packages built one go command each, two at a time: the cost
#     of a go command per package;
#  3. gograde batch, with the per-submission timings from its verdicts.
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

# Fresh module directories each time, so no step reuses another's build.
stage_module "$work/subs" "$work/m1"
t=$(now_ms)
(cd "$work/m1" && go test -race -vet=off -c -o "$work/bin/" ./... >/dev/null 2>&1)
build_all=$(( $(now_ms) - t ))
t=$(now_ms)
ls "$work/bin/"*.test | xargs -P2 -I{} sh -c '{} -test.count=1 >/dev/null 2>&1' || true
run_sleep=$(( $(now_ms) - t ))
t=$(now_ms)
ls "$work/bin/"*.test | xargs -P2 -I{} sh -c 'GORACE=atexit_sleep_ms=0 {} -test.count=1 >/dev/null 2>&1' || true
run_nosleep=$(( $(now_ms) - t ))

stage_module "$work/subs" "$work/m2"
t=$(now_ms)
(cd "$work/m2" && ls -d p*/ | xargs -P2 -I{} go test -race -vet=off -c -o "$work/bin2/{}" ./{} >/dev/null 2>&1)
build_each=$(( $(now_ms) - t ))

t=$(now_ms)
"$gograde" batch "$work/subs" -o "$work/out" --jobs "$jobs" >/dev/null 2>&1 || true
gograde_wall=$(( $(now_ms) - t ))

echo "$size submissions (reverse and counter), $(nproc) cores, one pass, wall ms"
echo "hand-written, split:"
echo "  build all test binaries, one go command (go test -race -c -o DIR/ ./...):  $build_all"
echo "  build them one go command per package, 2 at a time:                       $build_each"
echo "  run the binaries 2 at a time, default GORACE (1 s exit sleep each):        $run_sleep"
echo "  run the binaries 2 at a time, GORACE=atexit_sleep_ms=0:                    $run_nosleep"
echo "gograde batch --jobs $jobs:                                                  $gograde_wall"
python3 - "$work/out/verdicts.jsonl" "$jobs" <<'EOF'
import json, statistics, sys
rows = [json.loads(l)["timings_ms"] for l in open(sys.argv[1])]
jobs = int(sys.argv[2])
print(f"  per submission (median ms): " + ", ".join(
    f"{k} {statistics.median(r[k] for r in rows):.0f}" for k in ("stage", "compile", "run", "total")))
c = sum(r["compile"] for r in rows); run = sum(r["run"] for r in rows); tot = sum(r["total"] for r in rows) or 1
print(f"  summed over submissions: compile {c} ({100*c/tot:.0f}%), run {run} ({100*run/tot:.0f}%), total {tot};"
      f" divided by {jobs} jobs: compile {c/jobs:.0f}, run {run/jobs:.0f}")
EOF
