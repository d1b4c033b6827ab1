# Shared by the batch benchmarks (sourced, not run): make submissions and
# stage them as one Go module with a package per submission, laid out as
# gograde stages one (shared helpers, the exercise's harness with follow-up
# tests only where the solution declares the symbol, the solution with its
# package renamed).

# make_submissions DIR SIZE: SIZE reference solutions, alternately reverse
# and counter, each made unique (its own sha256) by a comment.
make_submissions() {
  local dir=$1 size=$2 i ex
  local exercises=(reverse counter)
  mkdir -p "$dir"
  for i in $(seq -w 1 "$size"); do
    ex=${exercises[$(( 10#$i % 2 ))]}
    { echo "// submission $i"; cat "$root/exercises/$ex/solutions/good/reference.go"; } > "$dir/$ex-$i.go"
  done
}

# stage_module SUBMISSIONS DIR: one module in DIR, package p<name> per file.
stage_module() {
  local subs=$1 dir=$2 f ex pkg t sym
  mkdir -p "$dir"
  printf 'module bench.local/batch\n\ngo 1.25\n' > "$dir/go.mod"
  for f in "$subs"/*.go; do
    ex=$(basename "$f" | sed -E 's/-[0-9]+\.go$//')
    pkg=$dir/p$(basename "$f" .go | tr -d -)
    mkdir -p "$pkg"
    cp "$root/harness/common/"*.go "$root/harness/$ex/"*_test.go "$pkg/"
    for t in "$pkg"/followup_*_test.go; do
      [[ -e $t ]] || continue
      sym=$(basename "$t" | sed -E 's/^followup_(.*)_test\.go$/\1/')
      grep -Eq "^(func|type) (\([^)]*\) )?$sym\b" "$f" || rm "$t"
    done
    sed -E '0,/^package [A-Za-z_][A-Za-z0-9_]*/s//package solution/' "$f" > "$pkg/solution.go"
  done
}

now_ms() { date +%s%3N; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
