#!/usr/bin/env bash
# Lays out one exercise's harness with one solution in DIR the way gograde
# stages a grade (go.mod, the kit package, the harness tests of the external
# test package, the solution as package solution, and the two generated
# files), for running bare `go test` on it: by hand (try-harness.sh) or as
# the baseline of a benchmark (bench/quickcheck.sh).
#
#   scripts/stage-harness.sh EXERCISE SOLUTION DIR
set -euo pipefail
id=$1; solution=$2; dir=$3
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
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
