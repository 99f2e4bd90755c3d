#!/usr/bin/env bash
# Benchmark (not a test) of the reading pages on one database, called by scripts/bench.sh:
#   bench-pages.sh DATABASE_URL LABEL
# The database must hold the demo data (and the synthetic structures, if any). Prints:
# - start-up: when the server answers its health check, when it says it is ready (index built),
#   and the time of the first page asked after that;
# - one table, all in one run: wrk on the static stylesheet, then on every reading page (home,
#   an entry, an event, the events, the news, an article, the clubs, a club) and on the densest
#   searches (no query, a facet alone, the commonest word) for an anonymous visitor, then
#   random never-repeated searches (scripts/bench-search.lua: never a shared page);
# - the same pages rendered for each request (DESSINE_PAGE_CACHE=0), for comparison;
# - the bytes of a second visit to the home page (a 304) against the first;
# - the server's resident memory at the end, and the ERROR lines of its log (there must be none).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
url=$1
label=$2
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
bin="$CARGO_TARGET_DIR/release/dessine"
dir=$(mktemp -d)
export DATABASE_URL="$url" DESSINE_MAIL="$dir/mail" RUST_LOG=warn DESSINE_JOBS=0
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
now_ms() { date +%s%3N; }

# Starts a server (extra environment in "$@"); sets `pid`, `base` and `log`.
start() {
  local port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  log="$dir/server-$port.log"
  env "$@" LEPTOS_SITE_ADDR="127.0.0.1:$port" DESSINE_BASE_URL="$base" "$bin" serve >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
}
ready() {
  until [ "$(curl -s "$1/readyz")" = "prêt" ]; do sleep 0.01; done
}

printf '\n== Reading pages on %s\n' "$label"
started=$(now_ms)
start
wait_healthy "$base"
healthy=$(($(now_ms) - started))
ready "$base"
is_ready=$(($(now_ms) - started))
first=$(curl -s -o /dev/null -w '%{time_total}' "$base/")
printf 'start-up: health check answered after %s ms, ready (index built) after %s ms; first page after that: %.1f ms\n' \
  "$healthy" "$is_ready" "$(awk -v t="$first" 'BEGIN {print t * 1000}')"

first_link() { curl -s "$base$1" | grep -oE "href=\"$1/[a-z0-9-]+\"" | head -1 | cut -d'"' -f2; }
css=$(curl -s "$base/" | grep -oE 'href="/pkg/[^"]+\.css"' | head -1 | cut -d'"' -f2)
total_of() { curl -s "$base/annuaire?q=$1" | grep -o '<h2 id="resultats"[^<]*' | sed 's/.*>//; s/structure.*//' | tr -cd '0-9'; }
common_word=insertion best=0
for word in insertion solidaire emploi accompagnement ess association; do
  n=$(total_of "$word"); n=${n:-0}
  if [ "$n" -gt "$best" ]; then best=$n common_word=$word; fi
done
sector=$(curl -s "$base/annuaire" | grep -oE 'secteur=[a-z0-9-]+' | head -1)
pages=(
  "/" "/annuaire/les-courses-asteur" "$(first_link /evenements)" "/evenements" "/actualites"
  "$(first_link /actualites)" "/clubs" "$(first_link /clubs)"
  "/annuaire" "/annuaire?$sector" "/annuaire?q=$common_word"
)

row() {
  local label=$1 target=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$target")
  printf '%-64s %10s %9s %9s  %s\n' "$label" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
table() {
  printf '%-64s %10s %9s %9s\n' "page (wrk -t2 -c$connections, ${seconds}s each)" "req/s" p50 p99
  row "static $css" "$base$css"
  for page in "${pages[@]}"; do
    row "$page" "$base$page"
  done
}

facets=$(curl -s "$base/annuaire" | grep -oE '(secteur|territoire|forme)=[a-z0-9-]+' | sort -u | tr '\n' ' ')
# Warm-up: the server's threads, the database's pages.
for page in "${pages[@]}"; do curl -s -o /dev/null "$base$page"; done
BENCH_FACETS="$facets" wrk -t2 -c"$connections" -d2s -s scripts/bench-search.lua "$base/annuaire" >/dev/null
printf '\nEach page as visitors without a session get it (%s at %s structures in the densest word)\n' \
  "$common_word" "$best"
table
BENCH_FACETS="$facets" row "random never-repeated searches (never a shared page)" "$base/annuaire" \
  -s scripts/bench-search.lua
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
anon=$(awk '/RssAnon/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")

# Second visit: the same page with the validator the first visit got.
first_bytes=$(curl -s -H 'Accept-Encoding: br' -D "$dir/headers" -o "$dir/home" -w '%{size_header} %{size_download}' "$base/")
etag=$(awk 'tolower($1) == "etag:" {print $2}' "$dir/headers" | tr -d '\r')
second=$(curl -s -H 'Accept-Encoding: br' -H "If-None-Match: $etag" -o /dev/null -w '%{http_code} %{size_header} %{size_download}' "$base/")
printf '\nhome page, first visit (brotli): %s bytes of headers + %s of body; second visit: status %s, %s bytes of headers + %s of body\n' \
  $first_bytes $second
# SQLite's memory-mapped database file counts in VmRSS; RssAnon is the server's own memory.
printf 'server memory at the end: VmRSS %s MiB (peak VmHWM %s MiB), of which anonymous %s MiB\n' \
  "$rss" "$hwm" "$anon"
errors=$(grep -c 'ERROR' "$log" || true)
printf 'ERROR lines in the server log: %s\n' "$errors"
grep 'ERROR' "$log" | sed 's/\x1b\[[0-9;]*m//g' | head -5 || true

kill "$pid"
start DESSINE_PAGE_CACHE=0
ready "$base"
for page in "${pages[@]}"; do curl -s -o /dev/null "$base$page"; done
printf '\nThe same pages rendered for each request (DESSINE_PAGE_CACHE=0)\n'
table
errors=$(grep -c 'ERROR' "$log" || true)
printf 'ERROR lines in the server log: %s\n' "$errors"
