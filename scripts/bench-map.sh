#!/usr/bin/env bash
# Benchmark (not a test) of the map's groups (GET /annuaire/carte.json), called by
# scripts/bench.sh on a seeded database:
#   bench-map.sh DATABASE_URL LABEL
# wrk with BENCH_CONNECTIONS (32) on random boxes at random zooms (scripts/bench-map.lua), beside
# the static stylesheet's rate in the same run; then the groups of the whole territory at zoom 7
# and their bytes. Target (issue 31): p99 <= 20 ms and >= 2,000 req/s at 200,000 structures.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export DATABASE_URL=$1
label=$2
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
bin="${BENCH_BIN:-$CARGO_TARGET_DIR/release/dessine}"
dir=$(mktemp -d)
port=$(free_port)
base="http://127.0.0.1:$port"
LEPTOS_SITE_ADDR="127.0.0.1:$port" DESSINE_MAIL="$dir/mail" RUST_LOG=warn "$bin" serve >"$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
wait_healthy "$base"
# The index is built before the first answer.
curl -s -o /dev/null --max-time 120 "$base/annuaire/carte.json?zone=1.5,49.9,3.4,51.2&zoom=7"

printf '\n== Map groups on %s\n' "$label"
whole="$base/annuaire/carte.json?zone=1.5,49.9,3.4,51.2&zoom=7"
printf 'whole territory at zoom 7: %s entries in %s groups, %s bytes (%s with brotli)\n' \
  "$(curl -s "$whole" | grep -oE '^\{"total":[0-9]+' | cut -d: -f2)" \
  "$(curl -s "$whole" | grep -o '"count"' | wc -l)" \
  "$(curl -s "$whole" | wc -c)" "$(curl -s -H 'Accept-Encoding: br' "$whole" | wc -c)"
facets=$(curl -s "$base/annuaire" | grep -oE '(secteur|forme)=[a-z0-9-]+' | sort -u | tr '\n' ' ')
css=$(curl -s "$base/" | grep -oE 'href="/pkg/[^"]+\.css"' | head -1 | cut -d'"' -f2)
row() {
  local out
  out=$(BENCH_FACETS="$facets" wrk -t2 -c"$connections" -d"${seconds}s" --latency "${@:2}")
  printf '%-40s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
# Warm-up, then the measured runs in one go.
BENCH_FACETS="$facets" wrk -t2 -c"$connections" -d3s -s scripts/bench-map.lua "$base" >/dev/null
row "static $css" "$base$css"
row "random boxes and zooms" -s scripts/bench-map.lua "$base"
