#!/usr/bin/env bash
# Load benchmark: Broadsheet against nginx serving the same bytes, same machine,
# same run, in alternating wrk rounds. See bench/README.md.
#
#   bench/http.sh [--count N] [--quick] [--duration S] [--rounds R]
#                 [--connections C] [--threads T] [--server-threads N] [--pin] [--keep]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COUNT=100000
DURATION=10
ROUNDS=3
CONNECTIONS=64
THREADS=1
SERVER_THREADS=1
PIN=0
KEEP=0
SEED_ID="000_3ea0f84f1e61d9e9"
CORPUS_SEED=1

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --quick) COUNT=1000; DURATION=2; ROUNDS=1; shift ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --server-threads) SERVER_THREADS="$2"; shift 2 ;;
    --pin) PIN=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

log() { printf '>> %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- tools -------------------------------------------------------------------

ensure_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  command -v gzip >/dev/null || missing+=(gzip)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} with apt-get"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt-get may hold the lock (CI installs nginx too): wait for it.
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
    $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  fi
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  if [[ $PIN -eq 1 ]]; then
    SERVER_CPU=(taskset -c 1); CLIENT_CPU=(taskset -c 0)
  else
    SERVER_CPU=(); CLIENT_CPU=()
  fi
}

# ---- corpus ------------------------------------------------------------------

# Generates the corpus unless one with the same parameters is already there.
# The stamp file is hidden, so the loader ignores it.
prepare_corpus() {
  CORPUS="${BENCH_CORPUS:-$ROOT/target/bench-corpus/$COUNT}"
  local from="${BROADSHEET_SHARED:-$ROOT/../shared}/corpus/bbc-fulltext" from_args=()
  [[ -d $from ]] && from_args=(--from "$from")
  local params="count=$COUNT seed=$CORPUS_SEED from=${from_args[*]:-built-in}"
  if [[ -f $CORPUS/.gen-params && "$(cat "$CORPUS/.gen-params")" == "$params" ]]; then
    log "reusing corpus $CORPUS ($params)"
  else
    log "generating corpus $CORPUS ($params)"
    rm -rf "$CORPUS"
    local started; started=$(now_ms)
    "$ROOT/target/release/examples/gen_corpus" --count "$COUNT" --out "$CORPUS" --seed "$CORPUS_SEED" "${from_args[@]}"
    echo "$params" >"$CORPUS/.gen-params"
    GEN_MS=$(( $(now_ms) - started ))
  fi
  # The hot article is the original seed, the page the issue's figures use.
  cp "$ROOT/articles/$SEED_ID.txt" "$CORPUS/$SEED_ID.txt"
  find "$CORPUS" -name '*.txt' -not -path '*/.*' -printf '%P\n' | sed 's/\.txt$//' | sort >"$WORK/ids.txt"
  CORPUS_FILES=$(wc -l <"$WORK/ids.txt")
  CORPUS_BYTES=$(find "$CORPUS" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
  CORPUS_DU=$(du -sh "$CORPUS" | cut -f1)
  # Start-up is measured on a warm OS page cache, so it is the server's
  # work that is timed, not the disk: read every file once first.
  local started; started=$(now_ms)
  (cd "$CORPUS" && tar cf - . | cat >/dev/null)
  WARM_MS=$(( $(now_ms) - started ))
}

# ---- servers -----------------------------------------------------------------

free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }

# Starts Broadsheet and measures process start → /healthz ok and → first 200
# on an article page. With LOGS=0, logging is off (RUST_LOG=warn,
# --access-log off), as nginx's access_log is; with LOGS=1 it runs as
# deployed by default (RUST_LOG unset, an access log line per request, here
# into a file as nginx's goes). One request thread, as nginx has one worker:
# wrk and the server share 2 cores, and a second server thread only competes
# with wrk.
start_broadsheet() {
  # A restart takes the same port: absolute URLs in the pages contain it.
  BS_PORT=${BS_PORT:-$(free_port)}; BS="http://127.0.0.1:$BS_PORT"
  local started; started=$(now_ms)
  local logging=(env RUST_LOG=warn) access_log=(--access-log off)
  if [[ ${LOGS:-0} -eq 1 ]]; then logging=(env -u RUST_LOG); access_log=(--access-log "$WORK/access.log"); fi
  "${logging[@]}" "${SERVER_CPU[@]}" "$ROOT/target/release/broadsheet" serve \
    --articles "$CORPUS" --listen "127.0.0.1:$BS_PORT" --threads "$SERVER_THREADS" \
    --cache-dir "$WORK/search-cache" "${access_log[@]}" 2>>"$WORK/broadsheet.log" &
  BS_PID=$!
  HEALTH_MS=""; ARTICLE_MS=""; SEARCH_MS=""
  local deadline=$(( started + 120000 + COUNT ))
  while [[ -z $HEALTH_MS || -z $ARTICLE_MS ]]; do
    kill -0 "$BS_PID" 2>/dev/null || { cat "$WORK/broadsheet.log" >&2; echo "broadsheet exited" >&2; exit 1; }
    (( $(now_ms) < deadline )) || { echo "broadsheet did not start in time" >&2; exit 1; }
    if [[ -z $HEALTH_MS ]] && curl -s --max-time 2 "$BS/healthz" | grep -q '"status":"ok"'; then
      HEALTH_MS=$(( $(now_ms) - started ))
    fi
    if [[ -z $ARTICLE_MS && $(status_of "$BS/articles/$SEED_ID") == 200 ]]; then
      ARTICLE_MS=$(( $(now_ms) - started ))
    fi
    sleep 0.01
  done
  RSS_START_KB=$(awk '/VmRSS/ {print $2}' "/proc/$BS_PID/status")
  # The first start gets a fresh --cache-dir: the search index is built, not
  # reopened from an earlier run; the restart at the end reopens it. Search
  # answers 503 until it is ready.
  while [[ -z $SEARCH_MS ]]; do
    kill -0 "$BS_PID" 2>/dev/null || { cat "$WORK/broadsheet.log" >&2; echo "broadsheet exited" >&2; exit 1; }
    (( $(now_ms) < deadline )) || { echo "search did not become ready in time" >&2; exit 1; }
    if [[ $(status_of "$BS/search?q=minister+election") == 200 ]]; then
      SEARCH_MS=$(( $(now_ms) - started ))
    fi
    sleep 0.05
  done
  RSS_SEARCH_KB=$(awk '/VmRSS/ {print $2}' "/proc/$BS_PID/status")
}

# A 2400×1600 photo in the corpus (no article names it), for the case of a
# resized copy (`/media/…?w=960`), made once and then served from memory.
PHOTO="photos/bench.jpg"
prepare_photo() {
  [[ -f $CORPUS/$PHOTO ]] || "$ROOT/target/release/examples/gen_photo" "$CORPUS/$PHOTO" 2400 1600
}

# Saves the pages nginx will serve: the same bytes Broadsheet sends.
prerender() {
  WWW="$WORK/www"
  mkdir -p "$WWW/articles"
  curl -sf "$BS/" -o "$WWW/index.html"
  # The resized copy, made by this first request; nginx ignores the query.
  curl -sf --create-dirs "$BS/media/$PHOTO?w=960" -o "$WWW/media/$PHOTO"
  log "pre-rendering $CORPUS_FILES article pages from Broadsheet"
  local started; started=$(now_ms)
  # One curl per half of the list, each with 8 transfers in flight over
  # keep-alive connections: 100k pages take a minute, not an hour of forks.
  awk -v base="$BS/articles/" -v out="$WWW/articles/" -v dir="$WORK" \
    '{ printf "url = \"%s%s\"\noutput = \"%s%s\"\n", base, $0, out, $0 > (dir "/curl." NR % 2 ".cfg") }' \
    "$WORK/ids.txt"
  local pids=() part
  for part in "$WORK"/curl.*.cfg; do
    curl --no-progress-meter --fail --create-dirs --parallel --parallel-max 8 -K "$part" 2>>"$WORK/curl.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  PRERENDER_MS=$(( $(now_ms) - started ))
  local saved; saved=$(find "$WWW/articles" -type f | wc -l)
  if [[ $saved -ne $CORPUS_FILES ]]; then
    head -20 "$WORK/curl.err" >&2
    echo "pre-rendered only $saved of $CORPUS_FILES pages" >&2; exit 1
  fi
  # nginx's gzip_static serves this pre-compressed copy: the fastest it can be.
  gzip -9 -n -k -f "$WWW/articles/$SEED_ID"
}

# nginx at its best for this test: 1 worker (2 are slower when client and
# server share 2 cores), no access log (or a buffered one: NG_ACCESS_LOG), keep-alive connections that are never
# closed by a request count (the default 1000 makes wrk reconnect), cached
# open files, sendfile, pre-compressed copies.
start_nginx() {
  NG_PORT=$(free_port); NG="http://127.0.0.1:$NG_PORT"
  # open_file_cache keeps each cached file open: more entries than the file
  # descriptor limit allows make nginx fail with EMFILE (500s, then refused
  # connections) on a 100k corpus. Half the limit, minus the connections.
  OPEN_FILES=$(( $(ulimit -n) / 2 - 4096 ))
  (( OPEN_FILES > 200000 )) && OPEN_FILES=200000
  (( OPEN_FILES < 1000 )) && OPEN_FILES=1000
  mkdir -p "$WORK/nginx/logs"
  chmod 755 "$WORK"
  local user_line=""; [[ $(id -u) -eq 0 ]] && user_line="user root;"
  cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  ${NG_ACCESS_LOG:-access_log off;}
  server_tokens off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  open_file_cache max=$OPEN_FILES inactive=300s;
  open_file_cache_valid 300s;
  open_file_cache_min_uses 1;
  open_file_cache_errors on;
  default_type text/html;
  types { image/jpeg jpg; }
  charset utf-8;
  gzip off;
  gzip_static on;
  gzip_vary on;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $WWW;
    index index.html;
  }
}
EOF
  "${SERVER_CPU[@]}" "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
  NG_PID=$!
  for _ in $(seq 200); do
    if [[ $(status_of "$NG/articles/$SEED_ID") == 200 ]]; then
      NG_WORKER=$(pgrep -P "$NG_PID" | head -1)
      return
    fi
    kill -0 "$NG_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/nginx/logs/error.log" >&2; echo "nginx did not start" >&2; exit 1
}

cleanup() {
  [[ -n ${BS_PID:-} ]] && kill "$BS_PID" 2>/dev/null && wait "$BS_PID" 2>/dev/null
  [[ -n ${NG_PID:-} ]] && kill "$NG_PID" 2>/dev/null && wait "$NG_PID" 2>/dev/null
  if [[ -n ${WORK:-} ]]; then
    if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  return 0
}

# ---- measuring ---------------------------------------------------------------

# "760.00us" / "1.52ms" / "2.01s" → milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /s$/) printf "%.3f", v * 1000; else printf "%s", v }'
}

# CPU time (user + system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The process that answers URL: Broadsheet, or nginx's one worker.
server_pid() { if [[ $1 == "$BS"* ]]; then echo "$BS_PID"; else echo "$NG_WORKER"; fi; }

# Runs wrk once on URL and prints "req/s p50_ms p99_ms non_2xx socket_errors
# server_cpu_us_per_request".
# Further arguments are wrk options; those after `--` go to the Lua script.
run_wrk() {
  local url="$1" duration="$2"; shift 2
  local options=() script_args=()
  while [[ $# -gt 0 && $1 != -- ]]; do options+=("$1"); shift; done
  [[ $# -gt 0 ]] && script_args=("$@")
  local out pid before after
  pid=$(server_pid "$url"); before=$(cpu_ticks "$pid")
  out=$("${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --latency \
    "${options[@]}" "$url" "${script_args[@]}")
  after=$(cpu_ticks "$pid")
  echo "$out" >>"$WORK/wrk.log"
  local rps p50 p99 bad errors requests cpu
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$(( after - before )) -v n="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0)}')
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  errors=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); gsub(/ /, ""); print}' <<<"$out")
  echo "${rps:-0} ${p50:-?} ${p99:-?} ${bad:-0} ${errors:-none} $cpu"
}

# Broadsheet's median req/s with logs on over logs off, on the hot page.
log_cost() {
  local off on
  off=$(awk '$1 == "hot-plain" {print $4}' "$WORK/table.txt" | median)
  on=$(awk '$1 == "logs-hot" {print $4}' "$WORK/table.txt" | median)
  awk -v a="$on" -v b="$off" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "?"}'
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# One case: warm both servers up, then ROUNDS × (Broadsheet, nginx).
run_case() {
  local name="$1" path="$2"; shift 2
  log "case $name: $ROUNDS round(s) of ${DURATION}s per server"
  run_wrk "$BS$path" 1 "$@" >/dev/null
  run_wrk "$NG$path" 1 "$@" >/dev/null
  local ratios=() round bs ng ratio
  for round in $(seq "$ROUNDS"); do
    read -r -a bs <<<"$(run_wrk "$BS$path" "$DURATION" "$@")"
    read -r -a ng <<<"$(run_wrk "$NG$path" "$DURATION" "$@")"
    ratio=$(awk -v a="${bs[0]}" -v b="${ng[0]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
    ratios+=("$ratio")
    printf '%-10s %5s | %9s %8s %8s %6s | %9s %8s %8s %6s | %6s\n' "$name" "$round" \
      "${bs[0]}" "${bs[1]}" "${bs[2]}" "${bs[5]}" "${ng[0]}" "${ng[1]}" "${ng[2]}" "${ng[5]}" "$ratio" >>"$WORK/table.txt"
    note_problems "$name round $round, broadsheet" "${bs[3]}" "${bs[4]}"
    note_problems "$name round $round, nginx" "${ng[3]}" "${ng[4]}"
  done
  printf '%-10s %s\n' "$name" "$(printf '%s\n' "${ratios[@]}" | median)" >>"$WORK/medians.txt"
}

# Records non-2xx answers (a failure: the benchmark measured error pages) and
# socket errors (timeouts under load: reported, not fatal).
note_problems() {
  local what="$1" bad="$2" errors="$3"
  if [[ $bad != 0 || $errors != none ]]; then
    echo "$what: non-2xx $bad, socket errors $errors" >>"$WORK/problems.txt"
  fi
  if [[ $bad != 0 ]]; then BAD_RESPONSES=1; fi
}

# The cache-busting case: a cached article page measured alone, then while
# 4 more connections ask for new URLs (random query strings) with
# Accept-Encoding: br (bench/bust.lua). Broadsheet only: nginx serves
# files and compresses nothing here. Targets (issue 18): p99 ≤ 5 ms and at
# least 70 % of the undisturbed throughput.
run_bust_case() {
  local path="/articles/$SEED_ID" br=(-H "Accept-Encoding: br")
  log "case cache-bust: ${DURATION}s alone, then ${DURATION}s beside 4 busting connections"
  run_wrk "$BS$path" 1 "${br[@]}" >/dev/null
  local calm busy rss_before buster
  read -r -a calm <<<"$(run_wrk "$BS$path" "$DURATION" "${br[@]}")"
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$BS_PID/status")
  "${CLIENT_CPU[@]}" wrk -t1 -c4 -d"$(( DURATION + 2 ))s" --latency -s "$ROOT/bench/bust.lua" "$BS" -- "$WORK/ids.txt" \
    >"$WORK/bust.log" 2>&1 &
  buster=$!
  sleep 1
  read -r -a busy <<<"$(run_wrk "$BS$path" "$DURATION" "${br[@]}")"
  wait "$buster" || true
  local bust_rps bust_p99 ratio
  bust_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/bust.log")
  bust_p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/bust.log")")
  ratio=$(awk -v a="${busy[0]}" -v b="${calm[0]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  {
    echo "cache-bust (hot article, Accept-Encoding: br; busting: 4 connections, random query strings, br):"
    echo "  alone:       ${calm[0]} req/s, p50 ${calm[1]} ms, p99 ${calm[2]} ms"
    echo "  beside them: ${busy[0]} req/s, p50 ${busy[1]} ms, p99 ${busy[2]} ms → ${ratio}× the throughput alone (target ≥ 0.70, p99 ≤ 5 ms)"
    echo "  busting:     ${bust_rps:-0} req/s, p99 ${bust_p99:-?} ms; RSS $(( rss_before / 1024 )) → $(( $(awk '/VmRSS/ {print $2}' "/proc/$BS_PID/status") / 1024 )) MiB"
  } >"$WORK/bust.txt"
  note_problems "cache-bust, broadsheet" "${busy[3]}" "${busy[4]}"
}

# The same hot cases with both access logs on: Broadsheet as deployed by
# default (RUST_LOG unset, one access-log line per request, into a file),
# nginx with a buffered access_log. Restarts both servers.
run_logged_cases() {
  log "restarting both servers with their access logs on"
  kill "$BS_PID"; wait "$BS_PID" 2>/dev/null || true
  kill "$NG_PID"; wait "$NG_PID" 2>/dev/null || true
  LOGS=1 start_broadsheet
  NG_ACCESS_LOG="access_log $WORK/nginx/logs/access.log combined buffer=64k flush=1s;" start_nginx
  run_case logs-hot "/articles/$SEED_ID"
  run_case logs-gzip "/articles/$SEED_ID" -H "Accept-Encoding: gzip"
  LOG_LINES=$(wc -l <"$WORK/access.log")
}

response_size() { curl -s -o /dev/null -w '%{size_download}' "$@"; }

print_header() {
  echo "# Broadsheet vs nginx — bench/http.sh"
  echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
  echo "load avg: $(cut -d' ' -f1-3 /proc/loadavg) at start (other processes on the machine disturb the numbers)"
  echo "commit:   $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
  echo "tools:    $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | cut -d' ' -f3)"
  echo "servers:  Broadsheet --threads $SERVER_THREADS, nginx 1 worker (client and servers share $(nproc) cores), nginx open_file_cache max=$OPEN_FILES (fd limit $(ulimit -n))"
  echo "wrk:      -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS round(s), pinned: $([[ $PIN -eq 1 ]] && echo 'server cpu1, wrk cpu0' || echo no)"
  echo "corpus:   $CORPUS_FILES articles, $(( CORPUS_BYTES / 1000000 )) MB of text (du: $CORPUS_DU) in $CORPUS${GEN_MS:+, generated in ${GEN_MS} ms}"
  local same="no"
  cmp -s <(curl -s "$BS/articles/$SEED_ID") <(curl -s "$NG/articles/$SEED_ID") && same="yes"
  echo "same bytes from both servers (hot article): $same"
  echo "pages:    article $(response_size "$BS/articles/$SEED_ID") B, gzip: broadsheet $(response_size -H 'Accept-Encoding: gzip' "$BS/articles/$SEED_ID") B / nginx $(response_size -H 'Accept-Encoding: gzip' "$NG/articles/$SEED_ID") B, index $(response_size "$BS/") B; pre-rendered in ${PRERENDER_MS} ms"
  echo
}

print_results() {
  printf '%-10s %5s | %9s %8s %8s %6s | %9s %8s %8s %6s | %6s\n' case round "bs req/s" "p50 ms" "p99 ms" "cpu us" "ng req/s" "p50 ms" "p99 ms" "cpu us" "bs/ng"
  cat "$WORK/table.txt"
  echo
  echo "median ratio Broadsheet/nginx (req/s); logs-* with both access logs on, the rest with both off:"
  cat "$WORK/medians.txt"
  echo "access log cost to Broadsheet (logs-hot / hot-plain req/s, medians): $(log_cost) (target ≥ 0.90); ${LOG_LINES:-0} lines written"
  echo
  cat "$WORK/bust.txt"
  echo
  local rss_kb=$RSS_LOAD_KB
  echo "cold start (OS page cache warmed by reading the files once, in ${WARM_MS} ms):"
  echo "  first start: /healthz ok after ${FIRST[0]} ms, first article 200 after ${FIRST[1]} ms, search ready after ${FIRST[2]} ms (index built, fresh --cache-dir)"
  echo "  restart:     /healthz ok after ${HEALTH_MS} ms, first article 200 after ${ARTICLE_MS} ms, search ready after ${SEARCH_MS} ms (index reopened from that --cache-dir); RSS $(( RSS_SEARCH_KB / 1024 )) MiB then"
  echo "RSS (first start): $(( FIRST[3] / 1024 )) MiB after start, $(( FIRST[4] / 1024 )) MiB with search ready, $(( rss_kb / 1024 )) MiB after the load;" \
    "$(awk -v r="$rss_kb" -v b="$CORPUS_BYTES" 'BEGIN {printf "%.2f", r * 1024 / b}')× the articles' size"
  if [[ -s $WORK/problems.txt ]]; then echo; echo "problems:"; cat "$WORK/problems.txt"; fi
}

main() {
  ensure_tools
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-bench.XXXXXX")"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  log "building Broadsheet and gen_corpus in release mode"
  (cd "$ROOT" && cargo build --release --quiet --bin broadsheet --example gen_corpus --example gen_photo)
  prepare_corpus
  prepare_photo
  start_broadsheet
  prerender
  start_nginx
  BAD_RESPONSES=0
  : >"$WORK/table.txt"; : >"$WORK/medians.txt"
  run_case hot-plain "/articles/$SEED_ID"
  run_case hot-gzip "/articles/$SEED_ID" -H "Accept-Encoding: gzip"
  run_case index "/"
  run_case random "/" -s "$ROOT/bench/random.lua" -- "$WORK/ids.txt"
  run_case image-960 "/media/$PHOTO?w=960"
  RSS_LOAD_KB=$(awk '/VmRSS/ {print $2}' "/proc/$BS_PID/status")
  FIRST=("$HEALTH_MS" "$ARTICLE_MS" "$SEARCH_MS" "$RSS_START_KB" "$RSS_SEARCH_KB")
  run_bust_case
  # The restart on the same --cache-dir (the "restart" line) is the one
  # with logs on.
  run_logged_cases
  local results; results="$(print_header; print_results)"
  echo "$results"
  mkdir -p "$ROOT/target/bench-results"
  echo "$results" >"$ROOT/target/bench-results/http-$(date -u +%Y%m%dT%H%M%S)-$COUNT.txt"
  [[ $BAD_RESPONSES -eq 0 ]] || { echo "error: some responses were not 2xx (see problems)" >&2; exit 1; }
}

main
