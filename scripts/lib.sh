# Shared by scripts/bad-always-fail.sh and scripts/mutants.sh (sourced, not
# run). Expects $root (the repository) to be set.

# solution_exercises KIND SCRIPT [EXERCISE...]: sets the array `exercises`
# to the EXERCISEs given, or to every exercise with solutions/KIND/ when none
# is; exits 2, naming SCRIPT, when one has no solutions/KIND/*.go.
solution_exercises() {
  local kind=$1 script=$2 d ex
  shift 2
  exercises=("$@")
  if ((${#exercises[@]} == 0)); then
    for d in "$root"/exercises/*/solutions/"$kind"; do
      exercises+=("$(basename "$(dirname "$(dirname "$d")")")")
    done
  fi
  for ex in "${exercises[@]}"; do
    compgen -G "$root/exercises/$ex/solutions/$kind/*.go" >/dev/null \
      || { echo "$script: no $kind solutions for exercise '$ex'" >&2; exit 2; }
  done
}

# build_offline: the hermetic Go environment, and gograde built in release
# mode as $gograde.
build_offline() {
  export GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
  cargo build --release --quiet --manifest-path "$root/Cargo.toml"
  gograde=$root/target/release/gograde
}
