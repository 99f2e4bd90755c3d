#!/usr/bin/env bash
# Benchmark (not a test) of the directory's search on one database, called by scripts/bench.sh:
#   bench-search.sh DATABASE_URL LABEL [seeded]
# Seeds the demo data and BENCH_SYNTHETIC synthetic structures (unless `seeded`), then:
# - starts an app server and times how long it takes to answer its first search (the index
#   build), with the build's own figures from the log;
# - random searches never made before (scripts/bench-search.lua) under wrk: req/s, p50, p99;
# - the server's resident memory after that run (VmRSS) and its peak (VmHWM);
# - freshness: a second app server on the same database, an entry renamed through the first
#   one's edit form, and the time until the second one finds the new name (10 edits).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
url=$1
label=$2
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
bin="$CARGO_TARGET_DIR/release/dessine"
dir=$(mktemp -d)
export DATABASE_URL="$url" DESSINE_MAIL="$dir/mail" RUST_LOG=info DESSINE_TRUST_PROXY=1
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT

if [ "${3:-}" != seeded ]; then
  "$bin" seed demo >/dev/null
  if [ -n "${BENCH_SYNTHETIC:-}" ]; then "$bin" seed synthetic --count "$BENCH_SYNTHETIC" >/dev/null; fi
fi
now_ms() { date +%s%3N; }

# Starts a server; sets `pid` and `base`.
start_server() {
  local port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  LEPTOS_SITE_ADDR="127.0.0.1:$port" DESSINE_BASE_URL="$base" "$bin" serve >"$dir/$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_healthy "$base"
}

printf '\n== Directory search on %s\n' "$label"
started=$(now_ms)
start_server first
first=$base first_pid=$pid
curl -s -o /dev/null --max-time 120 "$first/annuaire?q=recyclage"
ready=$(($(now_ms) - started))
printf 'first search answered %s ms after the process started\n' "$ready"
grep -o 'search index built.*' "$dir/first.log" | sed 's/\x1b\[[0-9;]*m//g' | head -1

facets=$(curl -s "$first/annuaire" | grep -oE '(secteur|territoire|forme)=[a-z0-9-]+' | sort -u | tr '\n' ' ')
printf 'random searches draw from %s facet values\n' "$(wc -w <<<"$facets")"
# A short run first: the measured one starts with the server's threads and caches warm.
BENCH_FACETS="$facets" wrk -t2 -c"$connections" -d3s -s scripts/bench-search.lua "$first/annuaire" >/dev/null
out=$(BENCH_FACETS="$facets" wrk -t2 -c"$connections" -d"${seconds}s" --latency \
  -s scripts/bench-search.lua "$first/annuaire")
printf '%-44s %10s req/s   p50 %-9s p90 %-9s p99 %s   %s\n' "random never-repeated searches, no cache" \
  "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
  "$(awk '$1 == "90%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
  "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
printf 'server memory after the run: VmRSS %s MiB, peak VmHWM %s MiB\n' \
  "$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$first_pid/status")" \
  "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$first_pid/status")"

# Freshness across two app servers sharing the database.
start_server second
second=$base
curl -s -o /dev/null --max-time 120 "$second/annuaire?q=recyclage"
jar="$dir/cookies"
curl -s -c "$jar" -o /dev/null -H "Origin: $first" --data-urlencode email=gerance@courses-asteur.example \
  --data-urlencode password=demo-gerance-asteur "$first/connexion"
delays=()
for i in $(seq 1 10); do
  word="fraicheur$i$RANDOM"
  status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' -H "Origin: $first" \
    --data-urlencode "name=Les Courses Asteur $word" --data-urlencode "offer=Livraisons à vélo cargo" \
    --data-urlencode postal_code=59140 --data-urlencode sectors=mobilite \
    "$first/annuaire/les-courses-asteur/modifier")
  saved=$(now_ms)
  if [ "$status" != 303 ]; then echo "edit refused ($status)" >&2; exit 1; fi
  until curl -s "$second/annuaire?q=$word" | grep -q 'href="/annuaire/les-courses-asteur"'; do
    if [ $(($(now_ms) - saved)) -gt 10000 ]; then echo "not seen after 10 s" >&2; exit 1; fi
    sleep 0.01
  done
  delays+=($(($(now_ms) - saved)))
done
printf 'an edit saved on one server found by the other after (ms, 10 edits): %s\n' \
  "$(printf '%s\n' "${delays[@]}" | sort -n | awk '{d[NR]=$1} END {printf "min %d, median %d, max %d", d[1], d[int((NR+1)/2)], d[NR]}')"
