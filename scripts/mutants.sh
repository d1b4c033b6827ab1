#!/usr/bin/env bash
# Mutation check of the harnesses: how many single-point mutants of the good
# solutions does each exercise's harness notice?
#
#   scripts/mutants.sh [--max N] [--seed S] [--jobs J] [--timeout SEC] [--out DIR] [EXERCISE...]
#
#   --max N        grade at most N compiling mutants per exercise (default 40; 0: all)
#   --seed S       which mutants are sampled when there are more than N (default 1)
#   --jobs J       gograde --jobs (default 2)
#   --timeout SEC  gograde --timeout per grade (default 60)
#   --out DIR      where the report goes (default mutants-out; emptied first)
#   EXERCISE...    default: every exercise under exercises/
#
# For each exercise, scripts/mutate/ (standard library Go: go/ast, go/format,
# go/types) writes every single-point mutant of exercises/ID/solutions/good/*.go:
# comparison flips (boundary and negation), && <-> ||, + <-> - (also +=, ++),
# integer literal +1/-1, one statement deleted (mu.Lock(), defer mu.Unlock(),
# wg.Done(), ...), an if condition negated, a returned value replaced by its
# type's zero value, the bounds of a slice expression swapped, and three
# that model concurrency and Unicode mistakes: an atomic add split into a
# load and a separate store (atomic-split: lost updates without a data
# race), unicode.M or unicode.IsMark narrowed to unicode.Mn (mark-narrow:
# spacing and enclosing marks forgotten), and a select without a default
# case given one (select-default: a `case <-ctx.Done():` turned into
# `default:`, or `default: return` added), so it gives up when nothing is
# ready. Mutants
# identical to the original or to one another, and mutants that do not
# type-check, are dropped (and nothing inside func main, which the harness
# never runs); at most N of the rest are sampled. The sample and
# the good solutions themselves are graded in one `gograde grade` call per
# exercise.
#
# A mutant is KILLED when its verdict's status is not pass, or when a test
# that passed for its original (graded in the same call) does not pass for
# it; it SURVIVED otherwise. "core-killed" counts only the first reason
# (status != pass). A mutant graded compile_error or rejected counts as not
# compiled. Score = killed / (killed + survived). Some survivors are
# equivalent mutants (no behaviour changed); a person decides which.
#
# Writes DIR/summary.txt (the table printed at the end), and per exercise
# DIR/ID/results.tsv (every graded mutant: id, solution, line, operator,
# change, status, tests that stopped passing), DIR/ID/survived/<id>.diff
# (unified diff of each survivor against its original) and DIR/ID/verdicts.json.
#
# Never reaches the network: GOPROXY=off, GOTOOLCHAIN=local, GOFLAGS=-mod=mod,
# and the mutants import only the standard library, as the originals do.
set -euo pipefail

max=40 seed=1 jobs=2 timeout=60 out=mutants-out
exercises=()
while (($#)); do
  case $1 in
    --max) max=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "mutants.sh: unknown option $1" >&2; exit 2 ;;
    *) exercises+=("$1"); shift ;;
  esac
done
for v in "$max" "$seed" "$jobs" "$timeout"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "mutants.sh: not a number: $v" >&2; exit 2; }
done

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
solution_exercises good mutants.sh ${exercises[@]+"${exercises[@]}"}
build_offline

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root/scripts/mutate" && go build -o "$tmp/mutate" .)

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

for ex in "${exercises[@]}"; do
  work=$tmp/$ex
  mkdir -p "$work" "$out/$ex"
  good=("$root"/exercises/"$ex"/solutions/good/*.go)
  counts=$("$tmp/mutate" -out "$work" -seed "$seed" -max "$max" "${good[@]}")
  echo "$ex: $counts" >&2
  echo "$counts" > "$work/counts"
  mutants=()
  if compgen -G "$work/mutants/*.go" >/dev/null; then mutants=("$work"/mutants/*.go); fi
  echo "$ex: grading ${#good[@]} originals and ${#mutants[@]} mutants (--jobs $jobs)" >&2
  # Exit 1 only means something did not pass, which is the point here.
  rc=0
  "$gograde" grade --format json --color never --jobs "$jobs" --timeout "$timeout" \
    --exercise "$ex" "${good[@]}" "${mutants[@]}" > "$work/verdicts.json" 2> "$work/stderr" || rc=$?
  # Exit 2 with a full JSON array: some verdict has status error (a grader
  # fault, reported below); without one it is a real failure.
  if ((rc > 1)) && ! python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); sys.exit(0 if isinstance(v, list) and len(v) == int(sys.argv[2]) else 1)' "$work/verdicts.json" $(( ${#good[@]} + ${#mutants[@]} )) 2>/dev/null; then
    echo "mutants.sh: gograde failed (exit $rc) on $ex:" >&2
    tail -20 "$work/stderr" >&2
    exit 1
  fi
  cp "$work/verdicts.json" "$out/$ex/verdicts.json"
done

python3 - "$tmp" "$out" "$root" "$max" "$seed" "${exercises[@]}" <<'PY'
import difflib, json, os, sys

tmp, out, root, max_n, seed = sys.argv[1:6]
exercises = sys.argv[6:]
ok_states = {"pass"}

rows = []
for ex in exercises:
    work = os.path.join(tmp, ex)
    counts = dict(kv.split("=") for kv in open(os.path.join(work, "counts")).read().split())
    verdicts = json.load(open(os.path.join(work, "verdicts.json")))
    if isinstance(verdicts, dict):
        verdicts = [verdicts]
    by_path = {os.path.realpath(v["submission"]["path"]): v for v in verdicts}

    def tests(v):
        return {t["name"]: t["status"] for t in v.get("tests", [])}

    manifest = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, "manifest.tsv")) if l.strip()]
    survived_dir = os.path.join(out, ex, "survived")
    os.makedirs(survived_dir, exist_ok=True)
    killed = core_killed = survived = uncompiled = grader_errors = 0
    broken_originals = set()
    lines = ["id\tsolution\tline\toperator\tchange\tstatus\tstopped_passing\toutcome"]
    for mid, orig_path, orig_copy, line, op, desc in manifest:
        mpath = os.path.realpath(os.path.join(work, "mutants", mid + ".go"))
        ov = by_path.get(os.path.realpath(orig_path))
        mv = by_path.get(mpath)
        if mv is None or ov is None:
            sys.exit(f"mutants.sh: no verdict for {mid} or its original {orig_path}")
        if ov["status"] != "pass":
            broken_originals.add(os.path.basename(orig_path))
        passed_before = {n for n, s in tests(ov).items() if s in ok_states}
        now = tests(mv)
        lost = sorted(n for n in passed_before if now.get(n) not in ok_states)
        status = mv["status"]
        if status in ("compile_error", "rejected"):
            outcome = "uncompiled"; uncompiled += 1
        elif status == "error":
            outcome = "grader-error"; grader_errors += 1
        elif status != "pass":
            outcome = "killed"; killed += 1; core_killed += 1
        elif lost:
            outcome = "killed"; killed += 1
        else:
            outcome = "survived"; survived += 1
            a = open(os.path.join(work, orig_copy)).read().splitlines(keepends=True)
            b = open(mpath).read().splitlines(keepends=True)
            name = os.path.basename(orig_path)
            with open(os.path.join(survived_dir, mid + ".diff"), "w") as f:
                f.write(f"# {ex} {mid}: {name}:{line} {op}: {desc}\n")
                f.writelines(difflib.unified_diff(a, b, f"a/{name}", f"b/{name} ({mid})"))
        lines.append("\t".join([mid, os.path.basename(orig_path), line, op, desc, status,
                                ",".join(lost) or "-", outcome]))
    with open(os.path.join(out, ex, "results.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    graded = killed + survived
    rows.append((ex, int(counts["generated"]), int(counts["compiled"]), len(manifest), uncompiled,
                 killed, core_killed, survived,
                 f"{100.0 * killed / graded:.1f}%" if graded else "-",
                 f"{100.0 * core_killed / graded:.1f}%" if graded else "-",
                 sorted(broken_originals), grader_errors))

hdr = ("exercise", "generated", "compiled", "graded", "uncompiled*", "killed", "core-killed",
       "survived", "score", "core-score")
table = [hdr] + [tuple(str(x) for x in r[:10]) for r in rows]
width = [max(len(r[i]) for r in table) for i in range(len(hdr))]
text = [f"mutants.sh --max {max_n} --seed {seed}"]
text += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, width))) for r in table]
tk = sum(r[5] for r in rows); ts = sum(r[7] for r in rows)
if tk + ts:
    text.append(f"total: killed {tk}, survived {ts}, score {100.0 * tk / (tk + ts):.1f}%")
text.append("generated: all mutation points; compiled: type-checks and differs from the original;")
text.append("graded: the sample; uncompiled*: graded compile_error/rejected (not counted in the score).")
text.append("score = killed/(killed+survived); core-score counts only mutants whose status is not pass.")
for r in rows:
    if r[10]:
        text.append(f"WARNING {r[0]}: originals not passing in this run (their mutants are unreliable): {', '.join(r[10])}")
    if r[11]:
        text.append(f"WARNING {r[0]}: {r[11]} mutant(s) graded status error (a grader fault; not counted): see results.tsv")
    if r[7]:
        text.append(f"{r[0]}: {r[7]} survivor(s) to review in {os.path.join(out, r[0], 'survived')}/")
open(os.path.join(out, "summary.txt"), "w").write("\n".join(text) + "\n")
print("\n".join(text))
PY
