#!/usr/bin/env bash
# Memory benchmark: gograde's own peak resident memory (VmHWM of the gograde
# process, not of the go commands and test binaries it starts) while it
# grades batches of growing size. Flat means the batch streams: verdicts go
# to disk as they finish and the reports are written from the JSON lines.
#
#   bench/rss.sh [SIZES...] [-- BATCH OPTIONS]
#
# Defaults: 10 100 1000. Every batch has 10 real grades (5 right, 5 wrong
# reverse answers, the largest verdicts), a tenth compile errors (the go
# command runs and fails) and the rest rejected before running (a forbidden
# import: no go command at all), so 1,000 submissions take minutes rather
# than the better part of an hour. Every submission is distinct (sha256).
#
# Why not /usr/bin/time -v: its "maximum resident set size" comes from
# wait4, which folds in the largest descendant (the Go linker, ~95 MiB), not
# gograde itself. VmHWM in /proc/PID/status is the process's own peak; it is
# polled every 20 ms until gograde exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=()
while [[ $# -gt 0 && $1 != -- ]]; do sizes+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10 100 1000)

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=$root/target/release/gograde
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
good=$root/exercises/reverse/solutions/good/reference.go
bad=$root/exercises/reverse/solutions/bad/bytes_reversed.go

make_batch() {
  local n=$1 dir=$2 i
  mkdir -p "$dir"
  for i in $(seq -w 1 "$n"); do
    if (( 10#$i <= 10 )); then
      { echo "// $i"; cat "$( (( 10#$i % 2 )) && echo "$good" || echo "$bad")"; } > "$dir/s$i.go"
    elif (( 10#$i % 10 == 0 )); then
      printf 'package main\n\n// %s\nfunc Reverse(s string) string {\n\treturn undefinedThing%s\n}\n' "$i" "$i" > "$dir/s$i.go"
    else
      printf 'package main\n\nimport "os/exec"\n\n// %s\nfunc Reverse(s string) string {\n\t_ = exec.Command\n\treturn s\n}\n' "$i" > "$dir/s$i.go"
    fi
  done
}

printf '%-8s %12s %10s %12s\n' "batch" "peak RSS KiB" "seconds" "verdicts"
for n in "${sizes[@]}"; do
  make_batch "$n" "$work/subs-$n"
  start=$(date +%s)
  "$gograde" batch "$work/subs-$n" --exercise reverse -o "$work/out-$n" "$@" >/dev/null 2>&1 &
  pid=$!
  peak=0
  # Bounded: a batch of 1,000 finishes in minutes; stop waiting after 2 hours.
  deadline=$(( start + 7200 ))
  while kill -0 "$pid" 2>/dev/null && (( $(date +%s) < deadline )); do
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n $hwm && $hwm -gt $peak ]] && peak=$hwm
    sleep 0.02
  done
  wait "$pid" || true
  pid=
  printf '%-8s %12s %10s %12s\n' "$n" "$peak" "$(( $(date +%s) - start ))" "$(wc -l < "$work/out-$n/verdicts.jsonl")"
done
