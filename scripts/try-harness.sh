#!/usr/bin/env bash
# Stage one exercise harness with one solution file and run it under the race
# detector, laid out the way the driver lays it out, for working on a harness
# by hand. Run by hand there is no result channel (the kit notices and uses a
# fixed seed); pass -test.run=... and other test flags after the solution.
set -euo pipefail
id=$1; solution=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$root/scripts/stage-harness.sh" "$id" "$solution" "$dir"
cd "$dir"
GORACE=atexit_sleep_ms=0 GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go test -race -vet=off -count=1 -v "$@" . 2>&1 | grep -Ev '^=== (RUN|PAUSE|CONT|NAME)' || true
