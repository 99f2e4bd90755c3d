#!/usr/bin/env bash
# Benchmark (not a test): page weights and server throughput of the release build.
# Prints, for each public page, the bytes of HTML, CSS, JS and WASM raw / gzip / brotli, then the
# SSR throughput and latency of `/` under wrk on 127.0.0.1, with the static-file rate of the same
# server for comparison.
# The directory's search page is measured too: each query's first answer time, then wrk on it
# (no shared page: every answer is computed, a dense word alone from its kept matches), random never-repeated searches, start-up,
# memory and freshness across two servers on SQLite and on PostgreSQL (scripts/bench-search.sh),
# then every reading page and the densest searches beside the static file, start-up, a second
# visit's bytes, memory and the log's ERROR lines, on both databases (scripts/bench-pages.sh),
# and the saturating mix with the server's time per kind of request (scripts/bench-mix.sh),
# the map's groups for random boxes and zooms (scripts/bench-map.sh),
# and the CSV export's peak memory.
#   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 32), BENCH_PAGES (space-separated paths),
#   BENCH_SYNTHETIC (add that many synthetic structures first, e.g. 200000),
#   BENCH_DATABASE_URL (reuse a database, SQLite or PostgreSQL, instead of a fresh SQLite file),
#   BENCH_SOAK_SECONDS (default 600; 0 skips the soak run at the end)
# Then the registration rush of benches/registrations.rs on SQLite and PostgreSQL, the search
# index alone at 200,000 structures (benches/search_index.rs), and the SIRENE import
# (scripts/bench-sirene.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup-tools.sh >&2
build_release >&2

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
pages=${BENCH_PAGES:-"/ /qu-est-ce-que-l-ess /qu-est-ce-que-dessine /qui-sommes-nous /annuaire /annuaire/entreprendre-ensemble"}
searches=(
  "/annuaire"
  "/annuaire?q=recycl"
  "/annuaire?q=economie+solidaire"
  "/annuaire?secteur=culture&territoire=nord"
  "/annuaire?q=insertion&forme=association&page=3"
)
dir=$(mktemp -d)
port=$(free_port)
base="http://127.0.0.1:$port"
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$dir/bench.db}" DESSINE_MAIL="$dir/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
# The soak run plays many visitors through X-Forwarded-For; nothing else here sends that header.
export DESSINE_TRUST_PROXY=1
bin="$CARGO_TARGET_DIR/release/dessine"
"$bin" seed demo >/dev/null
if [ -n "${BENCH_SYNTHETIC:-}" ]; then "$bin" seed synthetic --count "$BENCH_SYNTHETIC"; fi
"$bin" serve & server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
wait_healthy "$base"

size() { curl -s -H "Accept-Encoding: $2" "$base$1" | wc -c; }
printf '\nPage weights in bytes (raw / gzip / brotli), DATABASE_URL=%s\n' "${DATABASE_URL%%:*}"
printf '%-28s %-22s %-22s %-22s %-22s %s\n' page HTML CSS JS WASM "CSS+JS+WASM brotli"
for page in $pages; do
  html=$(curl -s "$base$page")
  row=("$(size "$page" identity) / $(size "$page" gzip) / $(size "$page" br)")
  total=0
  for ext in css js wasm; do
    asset=$(grep -oE "href=\"/pkg/[^\"]+\.$ext\"" <<<"$html" | head -1 | cut -d'"' -f2 || true)
    if [ -n "$asset" ]; then
      br=$(size "$asset" br)
      total=$((total + br))
      row+=("$(size "$asset" identity) / $(size "$asset" gzip) / $br")
    else
      row+=("-")
    fi
  done
  printf '%-28s %-22s %-22s %-22s %-22s %s\n' "$page" "${row[@]}" "$total"
done

load() {
  local label=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-40s %12s req/s   p50 %-10s p99 %s\n' "$label" "$rps" "$p50" "$p99"
}
css=$(curl -s "$base/" | grep -oE 'href="/pkg/[^"]+\.css"' | head -1 | cut -d'"' -f2)
printf '\nLoad: wrk, %s connections, %ss each, 2 threads, on this machine (%s cores)\n' "$connections" "$seconds" "$(nproc)"
load "SSR /" "$base/"
load "static $css" "$base$css"

printf '\nDirectory search (%s): first answer, then wrk on the same query (no shared page)\n' "$(curl -s "$base/annuaire" | grep -o '<h2 id="resultats"[^<]*' | sed 's/.*>//')"
for url in "${searches[@]}"; do
  cold=$(curl -s -o /dev/null -w '%{time_total}' "$base$url")
  printf '  first answer %6.1f ms  ' "$(awk -v t="$cold" 'BEGIN {print t * 1000}')"
  load "$url" "$base$url"
done

# Login: Argon2id verification (password-auth defaults: m=19 MiB, t=2, p=1) dominates.
times=()
for _ in $(seq 1 10); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Origin: $base" \
    --data-urlencode email=admin@dessine.example --data-urlencode password=demo-admin-dessine "$base/connexion")")
done
printf '\nLogin (POST /connexion, right password, 10 sequential): %s\n' \
  "$(printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1*1000} END {printf "min %.1f ms, median %.1f ms, max %.1f ms", t[1], t[int((NR+1)/2)], t[NR]}')"

bash scripts/bench-search.sh "$DATABASE_URL" "SQLite (${BENCH_SYNTHETIC:-0} synthetic structures)" seeded
bash scripts/bench-pages.sh "$DATABASE_URL" "SQLite (${BENCH_SYNTHETIC:-0} synthetic structures)"
bash scripts/bench-mix.sh "$DATABASE_URL" "SQLite (${BENCH_SYNTHETIC:-0} synthetic structures)"
bash scripts/bench-map.sh "$DATABASE_URL" "SQLite (${BENCH_SYNTHETIC:-0} synthetic structures)"

# Anonymous memory only: SQLite's memory-mapped database file counts in VmRSS once per connection
# that touched it, which says nothing about what the export holds.
rss() { awk '/RssAnon/ {print $2}' "/proc/$server/status"; }
before=$(rss)
peak=$before
curl -s "$base/annuaire.csv" -o "$dir/export.csv" & exporter=$!
while kill -0 "$exporter" 2>/dev/null; do now=$(rss); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.05; done
printf '\nCSV export of the whole directory: %s lines, %s bytes; server anonymous RSS %s KiB before, %s KiB peak\n' \
  "$(wc -l < "$dir/export.csv")" "$(wc -c < "$dir/export.csv")" "$before" "$peak"

# Static files for a logged-in browser: they are served before the session layer, so a session
# cookie changes nothing.
jar="$dir/cookies"
curl -s -c "$jar" -o /dev/null -H "Origin: $base" --data-urlencode email=admin@dessine.example \
  --data-urlencode password=demo-admin-dessine "$base/connexion"
session=$(awk '$6 ~ /dessine_session/ {print $6 "=" $7}' "$jar")
printf '\nStatic file with and without a session cookie (%s)\n' "$css"
load "static, anonymous" "$base$css"
load "static, logged-in admin" "$base$css" -H "Cookie: $session"

# Registrations: 500 guests confirming at once for 50 seats, then cancellations racing new
# confirmations, on SQLite and on a PostgreSQL cluster with its default durability.
pg_port=$(free_port)
DESSINE_TEST_POSTGRES_URL=$(PG_DURABLE=1 bash scripts/postgres.sh start "$dir/pg" "$pg_port")
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; bash scripts/postgres.sh stop "$dir/pg"; rm -rf "$dir"' EXIT
printf '
Registration rush (benches/registrations.rs, through HTTP, each database in its own server)
'
DESSINE_TEST_POSTGRES_URL="$DESSINE_TEST_POSTGRES_URL" RUST_LOG=error \
  cargo bench --no-default-features --features ssr --bench registrations 2>/dev/null | grep -E '^\[|skipped'
printf '\nThe search index alone, in memory, one query at a time (benches/search_index.rs)\n'
cargo bench --no-default-features --features ssr --bench search_index 2>/dev/null
psql -q "$DESSINE_TEST_POSTGRES_URL" -c 'CREATE DATABASE search_bench'
bash scripts/bench-search.sh "${DESSINE_TEST_POSTGRES_URL%/*}/search_bench" \
  "PostgreSQL (${BENCH_SYNTHETIC:-0} synthetic structures)"
bash scripts/bench-pages.sh "${DESSINE_TEST_POSTGRES_URL%/*}/search_bench" \
  "PostgreSQL (${BENCH_SYNTHETIC:-0} synthetic structures)"
bash scripts/bench-mix.sh "${DESSINE_TEST_POSTGRES_URL%/*}/search_bench" \
  "PostgreSQL (${BENCH_SYNTHETIC:-0} synthetic structures)"
bash scripts/postgres.sh stop "$dir/pg"

bash scripts/bench-sirene.sh --built

soak=${BENCH_SOAK_SECONDS:-600}
if [ "$soak" -gt 0 ]; then
  curl -s -c "$jar" -o /dev/null -H "Origin: $base" --data-urlencode email=gerance@courses-asteur.example \
    --data-urlencode password=demo-gerance-asteur "$base/connexion"
  manager=$(awk '$6 ~ /dessine_session/ {print $6 "=" $7}' "$jar")
  rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
  start_rss=$(rss_kib)
  printf '\nSoak: %ss of mixed traffic at a steady rate (8 connections, 40 ms between requests each)\n' "$soak"
  out=$(SOAK_COOKIE="$manager" SOAK_DELAY_MS=40 wrk -t2 -c8 -d"${soak}s" --timeout 10s \
    -s scripts/bench-soak.lua "$base/")
  end_rss=$(rss_kib)
  grep '^SOAK' <<<"$out"
  printf 'server RSS: %s KiB at the start, %s KiB at the end (%s %%)\n' "$start_rss" "$end_rss" \
    "$(awk -v a="$start_rss" -v b="$end_rss" 'BEGIN {printf "%+.1f", (b - a) * 100 / a}')"
fi
