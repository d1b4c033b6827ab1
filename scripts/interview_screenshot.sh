#!/usr/bin/env bash
# Makes docs/interview.png: the interview view of the built-in guide at
# 1366x768 as an interviewer sees it mid-interview: phase 3 and its clock
# in the header, a question ticked and rated, and the first coding
# question (reverse) started and graded with a byte-reversing answer, its
# card scrolled to the top: the question, the editor, and beside it the
# verdict as the quick check shows it. Needs Debian's chromium and
# chromium-driver (headless Chromium driven over WebDriver with curl and
# jq: the page must be scrolled, which `chromium --screenshot` cannot do),
# and a Go toolchain for the grade; uses a throwaway data directory, port
# and browser profile.
#
#   scripts/interview_screenshot.sh [OUTPUT]     (default docs/interview.png)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/interview.png}
cargo build --quiet --manifest-path "$root/Cargo.toml"
bin=${CARGO_TARGET_DIR:-$root/target}/debug/gograde
work=$(mktemp -d)
server_pid=
driver_pid=
cleanup() {
  for pid in $driver_pid $server_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
"$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's|gograde: serving on \(http://[^/]*\)/.*|\1|p' "$work/out")

# The interview: phase 3, q4 ticked and rated, reverse started and graded.
id=$(curl -sS -X POST "$base/api/interviews" -d '{"candidate":"cand-9","interviewer":"ann"}' | jq -r .id)
patch() { curl -sS -o /dev/null -X PATCH "$base/api/interviews/$id" -d "$1"; }
patch '{"version":1,"clock":{"action":"goto","phase":3}}'
patch '{"version":2,"answers":{"q4":{"covered":[0,2],"rating":3}}}'
patch '{"version":3,"start_question":"reverse"}'
jq -Rs '{exercise: "reverse", source: .}' "$root/exercises/reverse/solutions/bad/bytes_reversed.go" |
  curl -sS -o /dev/null -X POST "$base/api/interviews/$id/grade" -d @-
sleep 3 # a few seconds on the clocks

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chromedriver --port="$port" >/dev/null 2>&1 &
driver_pid=$!
wd=http://127.0.0.1:$port
for _ in $(seq 100); do curl -s "$wd/status" >/dev/null 2>&1 && break; sleep 0.1; done
caps=$(jq -n --arg bin "$(command -v chromium)" --arg profile "$work/profile" '{capabilities: {alwaysMatch: {
  "goog:chromeOptions": {binary: $bin, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1366,768", ("--user-data-dir=" + $profile)]}}}}')
session=$wd/session/$(curl -sS -X POST "$wd/session" -d "$caps" | jq -r .value.sessionId)
# The page's own size, 1366x768 (a headless window keeps some of it for
# browser bars it does not draw).
curl -sS -o /dev/null -X POST "$session/goog/cdp/execute" \
  -d '{"cmd":"Emulation.setDeviceMetricsOverride","params":{"width":1366,"height":768,"deviceScaleFactor":1,"mobile":false}}'
curl -sS -o /dev/null -X POST "$session/url" -d "$(jq -n --arg url "$base/interview#$id" '{url: $url}')"
js() { curl -sS -X POST "$session/execute/sync" -d "$(jq -n --arg s "$1" '{script: $s, args: []}')" | jq -r .value; }
card="document.querySelector('[data-exercise=reverse]')"
for _ in $(seq 300); do
  [[ $(js "return Boolean($card && $card.querySelector('.vview table') && !$card.querySelector('.vview.stale') && document.getElementById('clock').textContent);") == true ]] && break
  sleep 0.1
done
# The card's question just under the header.
js "scrollTo(0, $card.getBoundingClientRect().top + scrollY - document.querySelector('.bar').offsetHeight - 8);" >/dev/null
sleep 1.2 # the clocks tick once more after the scroll
curl -sS "$session/screenshot" | jq -r .value | base64 -d >"$out"
curl -sS -o /dev/null -X DELETE "$session"
echo "wrote $out"
