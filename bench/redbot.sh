#!/usr/bin/env bash
# REDbot ("lint for HTTP", `pip install redbot`) on every page type of a
# running Broadsheet: prints each note it rates bad or warning, and exits 1
# when there is one that is not allowed. See bench/README.md.
#
#   bench/redbot.sh [--count N] [--redbot VERSION] [--keep]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COUNT=60
REDBOT_VERSION=2.7.1
KEEP=0
SEED_ID="000_3ea0f84f1e61d9e9"
# Rated warning by design: pages are `public` and have no Authorization to
# override, so REDbot calls `public` unnecessary. Kept explicit for the
# proxies that want it.
ALLOWED=(STORE_PUBLIC_UNNECESSARY)

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --redbot) REDBOT_VERSION="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

log() { printf '>> %s\n' "$*" >&2; }

cleanup() {
  [[ -n ${BS_PID:-} ]] && kill "$BS_PID" 2>/dev/null && wait "$BS_PID" 2>/dev/null
  if [[ -n ${WORK:-} ]]; then
    if [[ $KEEP -eq 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  return 0
}

# A virtualenv with REDbot, kept in target/ between runs.
install_redbot() {
  VENV="$ROOT/target/redbot-venv"
  local installed=""
  [[ -x $VENV/bin/pip ]] && installed=$("$VENV/bin/pip" show redbot 2>/dev/null | sed -n 's/^Version: //p')
  if [[ $installed != "$REDBOT_VERSION" ]]; then
    log "installing redbot $REDBOT_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "redbot==$REDBOT_VERSION"
  fi
}

free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

start_broadsheet() {
  CORPUS="$WORK/articles"
  "$ROOT/target/release/examples/gen_corpus" --count "$COUNT" --out "$CORPUS" --seed 1 >/dev/null
  cp "$ROOT/articles/$SEED_ID.txt" "$CORPUS/"
  PORT=$(free_port); BS="http://127.0.0.1:$PORT"
  "$ROOT/target/release/broadsheet" serve --articles "$CORPUS" --listen "127.0.0.1:$PORT" \
    --cache-dir "$WORK/search-cache" --access-log off 2>>"$WORK/broadsheet.log" &
  BS_PID=$!
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BS/search?q=news") == 200 ]] && return
    kill -0 "$BS_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/broadsheet.log" >&2; echo "broadsheet did not start" >&2; exit 1
}

# The first link under `prefix` on the page at `path`.
first_link() { { curl -s "$BS$1" | grep -o "href=\"$2[^\"?#]*\"" || true; } | head -1 | sed 's/^href="//; s/"$//'; }

# One URL per page type, and the error answers the issue asks about.
page_urls() {
  local section source tag year month stylesheet
  section=$(first_link /sections /sections/)
  source=$(first_link /sources /sources/)
  tag=$(first_link /tags /tags/)
  month=$(first_link /archive /archive/....[/-]..)
  year=$(first_link /archive /archive/....)
  stylesheet=$(first_link / /static/style)
  local paths=(
    / "/?page=2" "/articles/$SEED_ID" /sections /sources /tags /archive /search "/search?q=minister"
    /feed.xml /feed.json /search/feed.xml?q=minister /api/articles "/api/articles/$SEED_ID" "/api/search?q=minister"
    /sitemap.xml /robots.txt /opensearch.xml /favicon.ico /healthz /readyz /metrics /problems /about/deployment
    /no-such-page "/?page=abc" "/articles/$SEED_ID/"
  )
  for found in "$section" "$source" "$tag" "$year" "$month" "$stylesheet"; do
    [[ -n $found ]] && paths+=("$found")
  done
  [[ -n $section ]] && paths+=("$section/feed.xml")
  printf "$BS%s\n" "${paths[@]}"
}

main() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-redbot.XXXXXX")"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  install_redbot
  log "building Broadsheet and gen_corpus in release mode"
  (cd "$ROOT" && cargo build --release --quiet --bin broadsheet --example gen_corpus)
  start_broadsheet
  local urls allow=()
  mapfile -t urls < <(page_urls)
  for name in "${ALLOWED[@]}"; do allow+=(--allow "$name"); done
  log "checking ${#urls[@]} URLs with REDbot $REDBOT_VERSION"
  local failed=0 url
  for url in "${urls[@]}"; do
    local expected=()
    # The 400 asked for on purpose: REDbot warns about any 400.
    [[ $url == *"page=abc"* ]] && expected=(--allow STATUS_BAD_REQUEST)
    timeout 120 "$VENV/bin/python" "$ROOT/bench/redbot_notes.py" "${allow[@]}" "${expected[@]}" "$url" \
      || failed=$(( failed + 1 ))
  done
  echo "# $failed of ${#urls[@]} URLs have bad or warning notes (besides ${ALLOWED[*]})"
  [[ $failed -eq 0 ]]
}

main
