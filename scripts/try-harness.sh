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
printf 'module gograde.local/solution\n\ngo 1.25\n' > "$dir/go.mod"
mkdir "$dir/kit"
cp "$root/harness/kit/"*.go "$dir/kit/"
for f in "$root/harness/$id/"*_test.go; do
  base=$(basename "$f")
  if [[ $base =~ ^followup_([A-Za-z0-9]+)_test\.go$ ]]; then
    sym=${BASH_REMATCH[1]}
    grep -Eq "^(func|type) (\([^)]*\) )?$sym\b" "$solution" || continue
  fi
  cp "$f" "$dir/"
done
sed -E '0,/^package [A-Za-z_][A-Za-z0-9_]*/s//package solution/' "$solution" > "$dir/solution.go"
# The generated files gograde writes: the kit import (plus exports of
# unexported symbols) in the candidate's package, the symbols (checked
# against their signatures) and TestMain in the test package. A symbol's
# check is kept only when the solution declares it (follow-ups).
exports="" checks=""
while IFS= read -r check; do
  sym=$(grep -oE 'candidate\.[A-Za-z0-9_]+' <<<"$check" | head -1 | cut -d. -f2)
  grep -Eq "^(func|type) (\([^)]*\) )?$sym\b" "$dir/solution.go" || continue
  if [[ $sym =~ ^[a-z] ]]; then
    exports+="var Gograde_$sym = $sym"$'\n'
    check=${check//candidate.$sym/candidate.Gograde_$sym}
  fi
  checks+="$check"$'\n'
done < <(sed -nE 's/^check = "(.*)"$/\1/p' "$root/exercises/$id/exercise.toml")
printf 'package solution\n\nimport _ "gograde.local/solution/kit"\n\n%s' "$exports" > "$dir/gograde_export_test.go"
{
  printf 'package solution_test\n\nimport (\n\t"context"\n\t"os"\n\t"sync"\n\t"testing"\n\n\t"gograde.local/solution/kit"\n\tcandidate "gograde.local/solution"\n)\n\n'
  printf 'var _ context.Context\nvar _ sync.Mutex\n\n%s' "$checks"
  printf '\nfunc TestMain(m *testing.M) { os.Exit(kit.Main(m)) }\n'
} > "$dir/gograde_symbols_test.go"
cd "$dir"
GORACE=atexit_sleep_ms=0 GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod \
  go test -race -vet=off -count=1 -v "$@" . 2>&1 | grep -Ev '^=== (RUN|PAUSE|CONT|NAME)' || true
