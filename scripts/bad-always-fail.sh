#!/usr/bin/env bash
# Does every known-bad solution fail in every grading? Grades each
# exercises/ID/solutions/bad/*.go RUNS times and counts, per solution, the
# gradings that met its expectation line
# (`// gograde-expect: status=S fail=T1,T2 pass=T3`): the status is S, each
# listed fail test did not pass (fail, error or timeout), each listed pass
# test passed. Run k grades all of an exercise's bad solutions in one
# `gograde grade --jobs JOBS` call, so they load the machine as a batch does.
#
#   scripts/bad-always-fail.sh [RUNS] [JOBS] [EXERCISE...]
#
#   RUNS      gradings of each solution (default 20)
#   JOBS      gograde --jobs (default 2: grades run two at a time, under load)
#   EXERCISE  default: every exercise under exercises/
#
# Environment: TIMEOUT (gograde --timeout, default 60), OUT (a directory to
# keep every run's verdicts in; default: none kept).
#
# Prints one line per solution, "met/RUNS", and what happened in each slip
# (the status it got, the listed tests that passed anyway); exits 1 when any
# solution slipped at least once, 0 when none did.
set -euo pipefail

runs=${1:-20}
jobs=${2:-2}
shift $(( $# < 2 ? $# : 2 ))
timeout=${TIMEOUT:-60}
for v in "$runs" "$jobs" "$timeout"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS] [JOBS] [EXERCISE...]" >&2; exit 2; }
done
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
solution_exercises bad bad-always-fail.sh "$@"
build_offline

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for ex in "${exercises[@]}"; do
  bad=("$root"/exercises/"$ex"/solutions/bad/*.go)
  for run in $(seq "$runs"); do
    echo "$ex: run $run/$runs, ${#bad[@]} solutions, --jobs $jobs" >&2
    rc=0
    "$gograde" grade --format json --color never --jobs "$jobs" --timeout "$timeout" \
      --exercise "$ex" "${bad[@]}" > "$tmp/$ex.$run.json" 2> "$tmp/$ex.$run.err" || rc=$?
    # Exit 1: something did not pass (the point here). Exit 2 with a full
    # JSON array: some verdict has status error (a grader fault), which the
    # report counts as a slip; exit 2 without one is a real failure.
    if ((rc > 1)) && ! python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); sys.exit(0 if isinstance(v, list) and len(v) == int(sys.argv[2]) else 1)' "$tmp/$ex.$run.json" "${#bad[@]}" 2>/dev/null; then
      echo "bad-always-fail.sh: gograde failed (exit $rc) on $ex run $run:" >&2
      tail -20 "$tmp/$ex.$run.err" >&2
      exit 1
    fi
  done
done
if [[ -n ${OUT:-} ]]; then
  mkdir -p "$OUT"
  cp "$tmp"/*.json "$OUT/"
fi

python3 - "$tmp" "$runs" "$jobs" "${exercises[@]}" <<'PY'
import glob, json, os, sys

tmp, runs, jobs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
exercises = sys.argv[4:]

def expectation(path):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("// gograde-expect:"):
            exp = {"status": "", "fail": [], "pass": []}
            for field in line[len("// gograde-expect:"):].split():
                key, _, value = field.partition("=")
                if key in ("fail", "pass"):
                    exp[key] = [t for t in value.split(",") if t]
                elif key == "status":
                    exp["status"] = value
            return exp
    sys.exit(f"{path}: no gograde-expect line")

print(f"bad-always-fail.sh: {runs} gradings per known-bad solution, --jobs {jobs}")
slipped_any = []
for ex in exercises:
    results = {}  # path -> list of slip descriptions (None when met)
    for run in range(1, runs + 1):
        verdicts = json.load(open(os.path.join(tmp, f"{ex}.{run}.json")))
        if isinstance(verdicts, dict):
            verdicts = [verdicts]
        for v in verdicts:
            path = os.path.realpath(v["submission"]["path"])
            exp = expectation(path)
            got = {t["name"]: t["status"] for t in v.get("tests", [])}
            why = []
            if v["status"] != exp["status"]:
                summary = (v.get("summary") or "").splitlines()[0][:160] if v.get("summary") else ""
                why.append(f"status {v['status']} ({summary})")
            for t in exp["fail"]:
                if got.get(t) not in ("fail", "error", "timeout"):
                    why.append(f"{t} {got.get(t, 'missing')}")
            for t in exp["pass"]:
                if got.get(t) != "pass":
                    why.append(f"{t} {got.get(t, 'missing')} (must pass)")
            results.setdefault(path, []).append("; ".join(why) if why else None)
    for path in sorted(results):
        outcomes = results[path]
        met = sum(1 for o in outcomes if o is None)
        name = f"{ex}/{os.path.basename(path)}"
        mark = "ok  " if met == len(outcomes) else "SLIP"
        print(f"{mark} {met:3d}/{len(outcomes)}  {name}")
        slips = {}
        for o in outcomes:
            if o is not None:
                slips[o] = slips.get(o, 0) + 1
        for why, n in sorted(slips.items(), key=lambda kv: -kv[1]):
            print(f"           {n}x: {why}")
        if slips:
            slipped_any.append((name, len(outcomes) - met, len(outcomes)))
if slipped_any:
    print("slipped at least once: " + ", ".join(f"{n} ({k}/{r})" for n, k, r in slipped_any))
    sys.exit(1)
print("every known-bad solution met its expectation in every grading")
PY
