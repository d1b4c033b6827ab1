#!/usr/bin/env bash
# Stage one exercise harness with one solution file and run it under the race
# detector, the way the driver does, for working on a harness by hand.
set -euo pipefail
id=$1; solution=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'module gograde.local/solution\n\ngo 1.25\n' > "$dir/go.mod"
cp "$root/harness/common/"*.go "$dir/"
for f in "$root/harness/$id/"*_test.go; do
  base=$(basename "$f")
  if [[ $base =~ ^followup_([A-Za-z0-9]+)_test\.go$ ]]; then
    sym=${BASH_REMATCH[1]}
    grep -Eq "^(func|type) (\([^)]*\) )?$sym\b" "$solution" || continue
  fi
  cp "$f" "$dir/"
done
sed -E '0,/^package [A-Za-z_][A-Za-z0-9_]*/s//package solution/' "$solution" > "$dir/solution.go"
cd "$dir"
GORACE=atexit_sleep_ms=0 GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go test -race -vet=off -count=1 -v "$@" . 2>&1 | grep -Ev '^=== (RUN|PAUSE|CONT|NAME)' || true
