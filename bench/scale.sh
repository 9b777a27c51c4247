#!/usr/bin/env bash
# How Broadsheet scales with the archive: for each size, first start, restart,
# search, memory, random article pages, a one-file reload and `check`, in one
# run. See docs/scale.md.
#
#   bench/scale.sh [--counts "10000 100000 1000000"] [--duration S] [--keep]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COUNTS="10000 100000 1000000"
DURATION=10
KEEP=0
CORPUS_SEED=1
PORT=${BENCH_PORT:-3917}

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --counts) COUNTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

log() { printf '>> %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
log "building Broadsheet and gen_corpus in release mode"
(cd "$ROOT" && cargo build --release --quiet --bin broadsheet --example gen_corpus)
BIN="$ROOT/target/release/broadsheet"
WORK="$(mktemp -d /tmp/broadsheet-scale.XXXXXX)"
BS_PID=""
cleanup() {
  [[ -n $BS_PID ]] && kill "$BS_PID" 2>/dev/null && wait "$BS_PID" 2>/dev/null
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Same corpora as bench/http.sh (same parameters, same folder, reused).
prepare_corpus() {
  local count=$1
  CORPUS="${BENCH_CORPORA:-$ROOT/target/bench-corpus}/$count"
  local from="${BROADSHEET_SHARED:-$ROOT/../shared}/corpus/bbc-fulltext" from_args=()
  [[ -d $from ]] && from_args=(--from "$from")
  local params="count=$count seed=$CORPUS_SEED from=${from_args[*]:-built-in}"
  if [[ -f $CORPUS/.gen-params && "$(cat "$CORPUS/.gen-params")" == "$params" ]]; then
    log "reusing corpus $CORPUS"
  else
    log "generating corpus $CORPUS ($params)"
    rm -rf "$CORPUS"
    "$ROOT/target/release/examples/gen_corpus" --count "$count" --out "$CORPUS" --seed "$CORPUS_SEED" "${from_args[@]}"
    echo "$params" >"$CORPUS/.gen-params"
  fi
  find "$CORPUS" -name '*.txt' -not -path '*/.*' -printf '%P\n' | sed 's/\.txt$//' >"$WORK/ids.txt"
  FILE_MB=$(find "$CORPUS" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {printf "%d", s/1048576}')
  # Warm the OS page cache, as a server that has run before finds it.
  find "$CORPUS" -name '*.txt' -print0 | xargs -0 -P2 -n 2000 cat >/dev/null
}

# Starts the server on $CORPUS with cache folder $1; sets FIRST_MS (time to
# /readyz), RSS_START (MiB, then), SEARCH_MS (time until search answers).
start_server() {
  local cache=$1 started deadline
  started=$(now_ms); deadline=$(( started + 1800000 ))
  RUST_LOG=info "$BIN" serve --articles "$CORPUS" --listen "127.0.0.1:$PORT" --cache-dir "$cache" \
    --access-log off >>"$WORK/server.log" 2>&1 &
  BS_PID=$!
  FIRST_MS=""; SEARCH_MS=""
  until [[ $(status_of "http://127.0.0.1:$PORT/readyz") == 200 ]]; do
    kill -0 "$BS_PID" 2>/dev/null || { tail "$WORK/server.log" >&2; echo "broadsheet exited" >&2; exit 1; }
    (( $(now_ms) < deadline )) || { echo "broadsheet did not start in time" >&2; exit 1; }
    sleep 0.05
  done
  FIRST_MS=$(( $(now_ms) - started ))
  RSS_START=$(rss_mb "$BS_PID")
  until [[ $(status_of "http://127.0.0.1:$PORT/search?q=minister+election") == 200 ]]; do
    (( $(now_ms) < deadline )) || { echo "search did not become ready in time" >&2; exit 1; }
    sleep 0.1
  done
  SEARCH_MS=$(( $(now_ms) - started ))
}

stop_server() {
  kill "$BS_PID"; wait "$BS_PID" 2>/dev/null || true; BS_PID=""
}

# Waits (up to 10 min) until the snapshot of the first start is saved and
# the search index's segments are merged (searches answer before that;
# a server stopped sooner merges them at its next start).
wait_for_snapshot() {
  local deadline=$(( $(now_ms) + 600000 ))
  until grep -q "saved the library snapshot" "$WORK/server.log" \
    && grep -q -e "search index compacted" -e "could not merge the search index" -e "search index could not be built" "$WORK/server.log"; do
    (( $(now_ms) < deadline )) || { log "no snapshot saved, or the search index not settled"; return; }
    sleep 0.2
  done
}

# wrk with --latency: sets REQS (req/s), P50 and P99 (ms).
run_wrk() {
  local out; out=$(wrk --latency "$@")
  REQS=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  P50=$(awk '$1 == "50%" {print $2}' <<<"$out" | to_ms)
  P99=$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms)
}
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }

# Appends a paragraph to the $1-th article and reads the reload's own
# timing into RELOAD_MS; puts the file back (another reload) afterwards.
reload_one_file() {
  local file; file="$CORPUS/$(sed -n "${1}p" "$WORK/ids.txt").txt"
  local before; before=$(grep -c "reloaded articles" "$WORK/server.log" || true)
  cp "$file" "$WORK/restore.txt"
  printf '\nA paragraph added by bench/scale.sh.\n' >>"$file"
  local deadline=$(( $(now_ms) + 30000 ))
  until (( $(grep -c "reloaded articles" "$WORK/server.log" || true) > before )); do
    (( $(now_ms) < deadline )) || { RELOAD_MS="-"; cp "$WORK/restore.txt" "$file"; return; }
    sleep 0.05
  done
  RELOAD_MS=$(grep "reloaded articles" "$WORK/server.log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'elapsed_ms=[0-9.]*' | cut -d= -f2)
  RELOAD_MS=$(printf '%.1f' "$RELOAD_MS")
  before=$(grep -c "reloaded articles" "$WORK/server.log" || true)
  cp "$WORK/restore.txt" "$file"
  until (( $(grep -c "reloaded articles" "$WORK/server.log" || true) > before )); do
    (( $(now_ms) < deadline )) || return 0
    sleep 0.05
  done
}

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# Milliseconds as seconds with one decimal.
seconds() { awk -v ms="$1" 'BEGIN {printf "%.1f", ms / 1000}'; }

# Two words from a list and a page: thousands of different queries, so the
# rendered-page cache answers few of them and the index does the work.
cat >"$WORK/search.lua" <<'EOF'
local words = {"minister", "election", "government", "market", "football", "music", "film", "technology",
  "economy", "police", "growth", "players", "phone", "court", "prices", "prime", "bank", "rates", "chelsea",
  "oil", "labour", "party", "shares", "profits", "sales", "record", "club", "coach", "league", "match",
  "album", "band", "award", "director", "software", "internet", "games", "mobile", "users", "security",
  "tax", "budget", "jobs", "china", "europe", "report", "plans", "deal", "talks", "win"}
function init(args) math.randomseed(7) end
function request()
  local a, b = words[math.random(#words)], words[math.random(#words)]
  return wrk.format(nil, "/search?q=" .. a .. "+" .. b .. "&page=" .. math.random(3))
end
EOF

ROWS=()
for COUNT in $COUNTS; do
  prepare_corpus "$COUNT"
  : >"$WORK/server.log"
  log "$COUNT articles ($FILE_MB MiB): check"
  started=$(now_ms); "$BIN" check "$CORPUS" >/dev/null 2>&1 || true; CHECK_MS=$(( $(now_ms) - started ))
  cache="$WORK/cache-$COUNT"; rm -rf "$cache"
  log "$COUNT: first start (empty cache folder)"
  start_server "$cache"; FIRST=$FIRST_MS; FIRST_SEARCH=$SEARCH_MS; FIRST_RSS=$RSS_START
  wait_for_snapshot
  stop_server
  # Restarts vary run to run (the walk's stats); three, the median shown.
  restarts=(); restart_searches=()
  for round in 1 2 3; do
    log "$COUNT: restart $round of 3"
    start_server "$cache"; restarts+=("$FIRST_MS"); restart_searches+=("$SEARCH_MS"); RESTART_RSS=$RSS_START
    if (( round < 3 )); then stop_server; fi
  done
  RESTART=$(median "${restarts[@]}"); RESTART_SEARCH=$(median "${restart_searches[@]}")
  log "$COUNT: random article pages, wrk -c16 for ${DURATION}s"
  run_wrk -t1 -c16 -d"${DURATION}s" -s "$ROOT/bench/random.lua" "http://127.0.0.1:$PORT" -- "$WORK/ids.txt"
  RANDOM_REQS=$REQS; RANDOM_P99=$P99; RANDOM_RSS=$(rss_mb "$BS_PID")
  log "$COUNT: search, wrk -c1 for ${DURATION}s"
  run_wrk -t1 -c1 -d"${DURATION}s" -s "$WORK/search.lua" "http://127.0.0.1:$PORT"
  SEARCH_P50=$P50; SEARCH_P99=$P99
  log "$COUNT: one changed file, five times"
  reloads=()
  for nth in 1 2 3 4 5; do reload_one_file "$nth"; reloads+=("$RELOAD_MS"); done
  RELOAD_MEDIAN=$(median "${reloads[@]}"); RELOAD_MAX=$(printf '%s\n' "${reloads[@]}" | sort -g | tail -1)
  stop_server
  ROWS+=("| $COUNT | $FILE_MB | $(( FIRST / 1000 )).$(( FIRST % 1000 / 100 )) s | $(( FIRST_SEARCH / 1000 )) s | $(seconds "$RESTART") s ($(seconds "$(printf '%s\n' "${restarts[@]}" | sort -g | head -1)")–$(seconds "$(printf '%s\n' "${restarts[@]}" | sort -g | tail -1)")) | $(seconds "$RESTART_SEARCH") s | $FIRST_RSS / $RESTART_RSS / $RANDOM_RSS MiB ($(awk -v r="$RANDOM_RSS" -v f="$FILE_MB" 'BEGIN {printf "%.2f", r / f}')×) | $RANDOM_REQS req/s, p99 $RANDOM_P99 ms | $SEARCH_P50 / $SEARCH_P99 ms | $RELOAD_MEDIAN / $RELOAD_MAX ms | $(( CHECK_MS / 1000 )).$(( CHECK_MS % 1000 / 100 )) s |")
done

echo
echo "| articles | files MiB | first start | search built | restart (median of 3, range) | search after restart (median) | RSS start / restart / after random pages | random pages (wrk -c16) | search p50 / p99 (wrk -c1, distinct queries) | one-file reload (median / max of 5) | check |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${ROWS[@]}"
