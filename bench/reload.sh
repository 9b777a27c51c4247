#!/usr/bin/env bash
# End-to-end live-reload latency: from writing a file to the change being
# served over HTTP, with the release binary, on a generated corpus.
#
#   bench/reload.sh [--count N] [--rounds R] [--watch auto|poll] [--corpus DIR]
#                   [--bin PATH] [--port PORT] [--after-search]
#
# Generates (or reuses) a corpus of N articles (default 100000), starts
# Broadsheet on it, then R times (default 10) edits one article, adds one and
# deletes one, polling with curl until each shows (200 with the new title,
# 200, 410). Prints each latency in ms and the medians, and the server's own
# "reloaded articles" log lines (elapsed_ms: the work of building the next
# snapshot; search_ms: updating the search index). --bin runs another build
# of the server (say, the previous commit's, for a before/after in one
# session); --port picks the port (default: any free one); --after-search
# waits for the search index to be built first, so each reload also
# updates it (search_ms) as it would in a server that has been up a while.
set -euo pipefail
cd "$(dirname "$0")/.."
count=100000 rounds=10 watch=auto corpus="" bin=target/release/broadsheet port="" after_search=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --watch) watch=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --after-search) after_search=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
corpus=${corpus:-target/bench-corpus/$count}
cargo build --release --quiet --bin broadsheet --example gen_corpus
if [ ! -d "$corpus" ]; then
  target/release/examples/gen_corpus --count "$count" --out "$corpus"
fi
[ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
RUST_LOG=${RUST_LOG:-broadsheet=info} "$bin" --articles "$corpus" --listen "127.0.0.1:$port" \
  --watch "$watch" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$corpus"/zz_latency_*.txt "$log"' EXIT
origin="http://127.0.0.1:$port"
started=$(date +%s%N)
until curl -sf "$origin/healthz" >/dev/null; do sleep 0.05; done
echo "serving $corpus after $(( ($(date +%s%N) - started) / 1000000 )) ms"
if [ -n "$after_search" ]; then
  # 503 while the index is being built.
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$origin/search?q=probe")" = 200 ]; do sleep 0.2; done
  echo "search ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"
fi
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Waits until $1 answers status $2 and (optionally) contains $3; prints ms since $4.
wait_for() {
  while true; do
    body=$(curl -s -w '\n%{http_code}' "$origin$1")
    code=${body##*$'\n'}
    if [ "$code" = "$2" ] && { [ -z "$3" ] || grep -q "$3" <<<"$body"; }; then break; fi
    sleep 0.005
  done
  echo $(( $(now_ms) - $4 ))
}
article() { printf 'World\n\n%s\n\n1 March 2099\nThis content originally appeared on Test Wire.\n\nA body.\n' "$1"; }
article "Latency probe" >"$corpus/zz_latency_edit.txt"
wait_for /articles/zz_latency_edit 200 "Latency probe" "$(now_ms)" >/dev/null
edits=() adds=() deletes=()
for round in $(seq 1 "$rounds"); do
  t=$(now_ms); article "Edited headline $round" >"$corpus/zz_latency_edit.txt"
  edits+=("$(wait_for /articles/zz_latency_edit 200 "Edited headline $round" "$t")")
  t=$(now_ms); article "Added $round" >"$corpus/zz_latency_add_$round.txt"
  adds+=("$(wait_for "/articles/zz_latency_add_$round" 200 "" "$t")")
  t=$(now_ms); rm "$corpus/zz_latency_add_$round.txt"
  deletes+=("$(wait_for "/articles/zz_latency_add_$round" 410 "" "$t")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "edit ms:   ${edits[*]}  (median $(median "${edits[@]}"))"
echo "add ms:    ${adds[*]}  (median $(median "${adds[@]}"))"
echo "delete ms: ${deletes[*]}  (median $(median "${deletes[@]}"))"
echo "server log (reloads):"
grep -E "reloaded articles|next snapshot built" "$log" | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'files=.*' | tail -n $(( rounds * 3 ))
