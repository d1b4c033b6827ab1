# Shared by bench/quickcheck.sh and bench/quickcheck_ab.sh (sourced, not
# run). Expects $root to be set; `stage_exercise EX SOLUTION` stages one.

# The same warm cache and hermetic Go environment for gograde and bare go.
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
export GOCACHE=$GOGRADE_CACHE/go-build GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1

stages=$(mktemp -d)
trap 'rm -rf "$stages"' EXIT

# stage_exercise EX SOLUTION: stages the packages gograde compiles for EX
# (harness + SOLUTION) once, under $stages/EX.
stage_exercise() {
  mkdir -p "$stages/$1"
  "$root/scripts/stage-harness.sh" "$1" "$2" "$stages/$1" >/dev/null
}

now_ms() { date +%s%3N; }

# bare EX: the floor, as issue 16 defines it: one tuned `go test -race` of
# a fresh copy of EX's staged package. Fresh, because each submission is a
# new package for gograde too: reusing one folder would let the bare run
# find its test binary already linked.
bare() {
  local fresh; fresh=$(mktemp -d)
  cp -r "$stages/$1"/. "$fresh/"
  (cd "$fresh" && GORACE=atexit_sleep_ms=0 go test -race -count=1 -vet=off . >/dev/null 2>&1) || true
  rm -rf "$fresh"
}

# median N...: the median of the numbers given (words of one or more
# arguments).
median() { printf '%s\n' $* | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
