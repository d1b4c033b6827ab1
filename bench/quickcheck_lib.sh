# Shared by bench/quickcheck.sh and bench/quickcheck_ab.sh (sourced, not
# run). Expects $root, $exercise and $solution to be set.

# The same warm cache and hermetic Go environment for gograde and bare go.
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
export GOCACHE=$GOGRADE_CACHE/go-build GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=1

# Stage the same packages gograde compiles.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
"$root/scripts/stage-harness.sh" "$exercise" "$solution" "$stage"

now_ms() { date +%s%3N; }

# bare: one `go test -race` of a fresh copy of the staged package. Each
# submission is a new package for gograde too: the Go cache keys compiled
# packages by directory, so reusing one would let the bare run skip compile
# and link.
bare() {
  local fresh; fresh=$(mktemp -d)
  cp -r "$stage"/. "$fresh/"
  (cd "$fresh" && GORACE=atexit_sleep_ms=0 go test -race -count=1 . >/dev/null 2>&1) || true
  rm -rf "$fresh"
}

# median N...: the median of the numbers given (words of one or more
# arguments).
median() { printf '%s\n' $* | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
