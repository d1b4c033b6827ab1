#!/usr/bin/env bash
# Makes docs/interview.png: the interview view of the built-in guide at
# 1366x768, in phase 3 with a question ticked and rated, as an interviewer
# sees it mid-interview. Needs Debian's chromium; uses a throwaway data
# directory and port.
#
#   scripts/interview_screenshot.sh [OUTPUT]     (default docs/interview.png)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/interview.png}
cargo build --quiet --manifest-path "$root/Cargo.toml"
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$root/target/debug/gograde" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's|gograde: serving on \(http://[^/]*\)/.*|\1|p' "$work/out")
id=$(curl -sS -X POST "$base/api/interviews" -d '{"candidate":"cand-9","interviewer":"ann"}' |
  grep -o '"id":"[0-9a-f]*"' | head -1 | cut -d'"' -f4)
curl -sS -o /dev/null -X PATCH "$base/api/interviews/$id" -d '{"version":1,"clock":{"action":"goto","phase":3}}'
curl -sS -o /dev/null -X PATCH "$base/api/interviews/$id" -d '{"version":2,"answers":{"q4":{"covered":[0,2],"rating":3}}}'
sleep 5 # a few seconds on the phase clock
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=1366,768 --virtual-time-budget=4000 \
  --screenshot="$out" "$base/interview#$id" 2>/dev/null
echo "wrote $out"
