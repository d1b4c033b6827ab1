# Shared by the batch benchmarks (sourced, not run): make submissions and
# stage them as one Go module with a package per submission, each laid out
# as gograde stages one (the kit package, the exercise's harness in the
# external test package with follow-up tests only where the solution
# declares the symbol, the solution as package solution, the generated
# files).

# make_submissions DIR SIZE: SIZE reference solutions, the five exercises in
# turn, each made unique (its own sha256) by a comment.
make_submissions() {
  local dir=$1 size=$2 i ex
  local exercises=(reverse counter workerpool retry json)
  mkdir -p "$dir"
  for i in $(seq -w 1 "$size"); do
    ex=${exercises[$(( 10#$i % ${#exercises[@]} ))]}
    { echo "// submission $i"; cat "$root/exercises/$ex/solutions/good/reference.go"; } > "$dir/$ex-$i.go"
  done
}

# stage_module SUBMISSIONS DIR: one module in DIR (the path gograde gives its
# staged module, with the kit package at its root), package p<name> per
# file, each laid out by scripts/stage-harness.sh with the candidate import
# of its generated file pointed at that package.
stage_module() {
  local subs=$1 dir=$2 f ex name pkg
  mkdir -p "$dir/kit"
  printf 'module gograde.local/solution\n\ngo 1.25\n' > "$dir/go.mod"
  cp "$root/harness/kit/"*.go "$dir/kit/"
  for f in "$subs"/*.go; do
    ex=$(basename "$f" | sed -E 's/-[0-9]+\.go$//')
    name=p$(basename "$f" .go | tr -d -)
    pkg=$dir/$name
    "$root/scripts/stage-harness.sh" "$ex" "$f" "$pkg"
    rm -rf "$pkg/go.mod" "$pkg/kit"
    sed -i "s#candidate \"gograde.local/solution\"#candidate \"gograde.local/solution/$name\"#" "$pkg/gograde_symbols_test.go"
  done
}

now_ms() { date +%s%3N; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
