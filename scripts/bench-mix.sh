#!/usr/bin/env bash
# Benchmark (not a test): the saturating mix on one database, called by scripts/bench.sh:
#   bench-mix.sh DATABASE_URL LABEL
# The database must hold the demo data. Runs scripts/bench-mix.lua (reading pages, random
# searches, guest registrations, wrong logins, label checks; each request from its own address)
# with 16 connections as fast as the server answers for BENCH_MIX_SECONDS (default 120), then
# at 80 % of the rate it reached (the wait between requests found by three 10-s trials); prints the client's figures (5xx, answers over 2 s,
# percentiles), the server's own time per kind of request (p50, p99, max, from its log) and
# the log's ERROR lines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
url=$1
label=$2
seconds=${BENCH_MIX_SECONDS:-120}
connections=16
bin="$CARGO_TARGET_DIR/release/dessine"
dir=$(mktemp -d)
port=$(free_port)
base="http://127.0.0.1:$port"
log="$dir/server.log"
export DATABASE_URL="$url" DESSINE_MAIL="$dir/mail" DESSINE_JOBS=0 DESSINE_TRUST_PROXY=1 \
  RUST_LOG=warn,dessine::http=info LEPTOS_SITE_ADDR="127.0.0.1:$port" DESSINE_BASE_URL="$base"
# Appended to, so that it can be emptied between the two runs.
"$bin" serve >>"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
until [ "$(curl -s "$base/readyz")" = "prêt" ]; do sleep 0.05; done

first_link() { curl -s "$base$1" | grep -oE "href=\"$1/[a-z0-9-]+\"" | head -"${2:-1}" | cut -d'"' -f2; }
pages="/ /evenements /actualites /clubs /annuaire /annuaire?secteur=culture /label $(first_link /evenements 3) $(first_link /actualites 3) $(first_link /clubs 2) $(curl -s "$base/annuaire?page=7" | grep -oE 'href="/annuaire/[a-z0-9-]+"' | head -10 | cut -d'"' -f2 | tr '\n' ' ')"
event=$(first_link /evenements | cut -d/ -f3)
export MIX_PAGES="$pages" MIX_EVENT="$event"

# Per kind of request, from the server's log: method and route family, p50, p99, max (ms).
server_times() {
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/ (GET|POST|HEAD|PUT|DELETE) \// && $NF ~ /ms$/ {
      n = NF; ms = $n; sub(/ms$/, "", ms); status = $(n - 1); path = $(n - 2); method = $(n - 3)
      sub(/\?.*/, "", path); if (path == "/readyz" || path == "/healthz") next; split(path, seg, "/")
      kind = (seg[2] == "" ? "/" : "/" seg[2]) (seg[3] != "" ? "/…" (seg[4] != "" ? "/" seg[4] : "") : "")
      print method " " kind "\t" ms "\t" status
    }' | sort -t$'\t' -k1,1 -k2,2n | awk -F'\t' '
    function at(p,   i) { i = int(n * p) + 1; if (i > n) i = n; return v[i] }
    function flush() { if (n) printf "%-44s %8d %9.1f %9.1f %9.1f %6d\n", key, n, at(0.5), at(0.99), v[n], e }
    $1 != key { flush(); key = $1; n = 0; e = 0 }
    { v[++n] = $2; if ($3 >= 500) e++ }
    END { flush() }'
}

printf '\n== Saturating mix on %s (%s connections, %ss, 45 %% pages, 30 %% random searches, 10 %% guest registrations, 8 %% wrong logins, 7 %% label checks)\n' \
  "$label" "$connections" "$seconds"
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s scripts/bench-mix.lua "$base/")
grep '^MIX' <<<"$out"
rate=$(grep -o 'rate=[0-9.]*' <<<"$out" | cut -d= -f2)
printf '%-44s %8s %9s %9s %9s %6s\n' "server time per request kind (ms)" count p50 p99 max 5xx
server_times
errors=$(grep -c ERROR "$log" || true)
: >"$log"
# 80 % of that rate: each connection waits between its requests. The latency at 80 % is below the
# saturated one, so the wait is found by trials of 10 s, each correcting the last by the latency it
# saw: connections / (delay + latency) = 0.8 x rate.
target=$(awk -v r="$rate" 'BEGIN { printf "%.1f", 0.8 * r }')
latency=$(awk -v r="$rate" -v c="$connections" 'BEGIN { print c * 1000 / r }')
for _ in 1 2 3; do
  delay=$(awk -v t="$target" -v c="$connections" -v l="$latency" 'BEGIN { d = c * 1000 / t - l; printf "%.2f", (d < 0 ? 0 : d) }')
  trial=$(MIX_DELAY_MS="$delay" wrk -t2 -c"$connections" -d10s --timeout 10s -s scripts/bench-mix.lua "$base/" |
    grep -o 'rate=[0-9.]*' | cut -d= -f2)
  latency=$(awk -v r="$trial" -v c="$connections" -v d="$delay" 'BEGIN { l = c * 1000 / r - d; print (l < 0 ? 0 : l) }')
  printf 'trial: %s ms between requests of a connection -> %s/s (%s %% of %s/s)\n' "$delay" "$trial" \
    "$(awk -v a="$trial" -v r="$rate" 'BEGIN { printf "%.0f", 100 * a / r }')" "$rate"
done
delay=$(awk -v t="$target" -v c="$connections" -v l="$latency" 'BEGIN { d = c * 1000 / t - l; printf "%.2f", (d < 0 ? 0 : d) }')
trial_errors=$(grep -c ERROR "$log" || true)
: >"$log"
printf '\nThe same mix at 80 %% of %s/s (%s ms between requests of a connection)\n' "$rate" "$delay"
out=$(MIX_DELAY_MS="$delay" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s scripts/bench-mix.lua "$base/")
grep '^MIX' <<<"$out"
printf 'that is %s %% of the saturated rate\n' "$(awk -v a="$(grep -o 'rate=[0-9.]*' <<<"$out" | cut -d= -f2)" -v r="$rate" 'BEGIN { printf "%.0f", 100 * a / r }')"
printf '%-44s %8s %9s %9s %9s %6s\n' "server time per request kind (ms)" count p50 p99 max 5xx
server_times
printf 'ERROR lines in the server log: %s (saturated), %s (trials), %s (80 %%)\n' "$errors" "$trial_errors" "$(grep -c ERROR "$log" || true)"
printf 'server memory at the end: VmRSS %s MiB\n' "$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
