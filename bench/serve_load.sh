#!/usr/bin/env bash
# Load test of `gograde serve`: REQUESTS grade requests from CLIENTS
# concurrent clients (curl) on loopback against a release build with
# --jobs JOBS, then the same number of `gograde grade` runs from the shell,
# JOBS at a time (the same parallelism), for comparison.
#
#   bench/serve_load.sh [REQUESTS] [CLIENTS] [JOBS]     (defaults 200 20 2)
#
# Each client sends its share one request at a time, waiting Retry-After
# after a 503. Checks: every request is answered (200 or 503 with
# Retry-After; anything else, a missing answer or a hang past the
# per-request bound fails the run), and prints the server's peak resident memory (VmHWM). Prints p50/p95
# latency of the 200s, their throughput, and the CLI's. Everything is
# bounded: each request by curl --max-time, the whole run by `timeout`.
# A benchmark, not a test: it is not part of `cargo test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=${1:-200}
clients=${2:-20}
jobs=${3:-2}
per_request_s=180

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
gograde=$root/target/release/gograde
export GOGRADE_CACHE=${GOGRADE_CACHE:-$HOME/.cache/gograde}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Four real submissions in turn: a pass, a race, a wrong answer, a compile error.
solutions=(
  "$root/exercises/counter/solutions/good/reference.go"
  "$root/exercises/counter/solutions/bad/value_unlocked.go"
  "$root/exercises/reverse/solutions/bad/bytes_reversed.go"
  "$root/exercises/reverse/solutions/bad/wrong_signature.go"
)
for i in "${!solutions[@]}"; do
  python3 -c 'import json,sys; print(json.dumps({"exercise":"auto","source":open(sys.argv[1]).read()}))' \
    "${solutions[$i]}" > "$work/body$i.json"
done
"$gograde" warm > /dev/null 2>&1 || true

"$gograde" serve --listen 127.0.0.1:0 --jobs "$jobs" > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^gograde: serving on //p' "$work/serve.out")
[[ -n $url ]] || { echo "serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

# The i-th request sends body (i mod 4); the CLI below grades the same files.
for i in $(seq 0 $((requests - 1))); do
  echo "$work/body$((i % ${#solutions[@]})).json ${solutions[$((i % ${#solutions[@]}))]}"
done > "$work/plan.txt"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows both sides alike)"
echo "serve: $requests requests, $clients concurrent clients, --jobs $jobs, $url"
start=$(date +%s.%N)
# Client c sends requests c, c+CLIENTS, ... one after another, and after a
# 503 waits the Retry-After it was given, as a well-behaved tool would. One
# line per request: "<http code> <seconds> <retry-after>"; a curl that fails
# (refused, reset, over --max-time) counts as "000", a lost answer.
client() {
  local c=$1 i line
  for ((i = c; i < requests; i += clients)); do
    line=$(curl -s -o /dev/null --max-time "$per_request_s" -H 'Content-Type: application/json' \
      --data-binary "@$work/body$((i % 4)).json" \
      -w '%{http_code} %{time_total} %header{retry-after}' "${url}api/grade" || true)
    [[ $line == 000* || -z $line ]] && line="000 $per_request_s -"
    echo "$line"
    read -r code _ retry <<< "$line"
    if [[ $code == 503 && $retry =~ ^[0-9]+$ ]]; then sleep "$retry"; fi
  done
}
export -f client
export requests clients per_request_s work url
pids=()
for c in $(seq 0 $((clients - 1))); do
  timeout $((requests * 10 + per_request_s)) bash -c "client $c" > "$work/client$c.txt" &
  pids+=($!)
done
wait "${pids[@]}" || true
cat "$work"/client*.txt > "$work/results.txt"
end=$(date +%s.%N)
peak_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
metrics=$(curl -s --max-time 10 "${url}metrics")

python3 - "$work/results.txt" "$requests" "$start" "$end" "$peak_kib" <<'EOF'
import sys
path, requests, start, end, peak = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rows = [l.split() for l in open(path) if l.strip()]
ok = [float(r[1]) for r in rows if r[0] == "200"]
busy = [r for r in rows if r[0] == "503"]
bad = [r for r in rows if r[0] not in ("200", "503")]
no_retry = [r for r in busy if len(r) < 3 or not r[2].isdigit()]
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")
wall = end - start
print(f"answered {len(rows)}/{requests}: {len(ok)} x 200, {len(busy)} x 503 (all with Retry-After: {not no_retry}), {len(bad)} other")
print(f"200 latency p50 {pct(ok, 50):.2f} s, p95 {pct(ok, 95):.2f} s; wall {wall:.1f} s; "
      f"throughput {len(ok) / wall:.2f} grades/s; server peak RSS {peak / 1024:.1f} MiB")
if len(rows) != requests or bad or no_retry:
    print("FAILED: a request was lost, hung or answered wrongly", file=sys.stderr)
    sys.exit(1)
EOF
echo "$metrics" | awk '/^gograde_grade_duration_seconds_sum/ {s = $2} /^gograde_grade_duration_seconds_count/ {n = $2}
  END { if (n) printf "server-side grade time (queueing excluded): mean %.2f s over %d grades\n", s / n, n }'
echo "$metrics" | grep -E '^gograde_(grades_total|rejected_requests_total\{reason="busy"|grades_cancelled|grade_panics)' | tr '\n' ' '; echo

# The same number of grades from a shell, --jobs at a time.
echo "cli: $requests x gograde grade, $jobs at a time"
start=$(date +%s.%N)
cut -d' ' -f2 "$work/plan.txt" | timeout $((per_request_s * requests / jobs + 60)) xargs -P "$jobs" -I{} \
  bash -c 's=$(date +%s.%N); "$0" grade --format json "$1" > /dev/null 2>&1; e=$(date +%s.%N); echo "$s $e"' \
  "$gograde" {} > "$work/cli.txt" || true
end=$(date +%s.%N)
python3 - "$work/cli.txt" "$start" "$end" <<'EOF'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
lat = sorted(e - s for s, e in rows)
wall = float(sys.argv[3]) - float(sys.argv[2])
pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
print(f"cli latency p50 {pct(50):.2f} s, p95 {pct(95):.2f} s; wall {wall:.1f} s; throughput {len(lat) / wall:.2f} grades/s")
EOF
