#!/usr/bin/env bash
# Several app servers for real, on loopback: PostgreSQL, two dessine servers sharing it (and one
# folder of images and one of mails), nginx in front of them (deploy/nginx-cluster.conf).
#   scripts/cluster.sh            `make cluster`: builds, starts all of it with the demo data,
#                                 prints the proxy's address, stops everything on Ctrl-C.
#   scripts/cluster.sh test BIN   the cluster test of `make test`, with the server binary BIN and
#                                 the PostgreSQL cluster of DESSINE_TEST_POSTGRES_URL: the
#                                 newcomer's journeys through the proxy (end2end/cluster.mjs)
#                                 while one server gets SIGTERM and starts again, then the other
#                                 gets SIGKILL; fails unless no request failed on SIGTERM, only
#                                 forms in flight failed on SIGKILL, and the database holds
#                                 nothing half-written.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mode=${1:-run}
PSQL=/usr/lib/postgresql/15/bin/psql

dir=$(mktemp -d /tmp/dessine-cluster.XXXXXX)
chmod 755 "$dir" # PostgreSQL's own user reaches its data folder inside
pids=()
own_pg=""
finish() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$own_pg" ] && bash scripts/postgres.sh stop "$dir/pg"
  if [ "$status" != 0 ]; then
    echo "cluster: failed; logs kept in $dir" >&2
    tail -n 20 "$dir"/*.log >&2 || true
  else
    rm -rf "$dir"
  fi
  exit "$status"
}
trap finish EXIT
# Ctrl-C ends `make cluster` (its normal end); it interrupts the test.
if [ "$mode" = test ]; then trap 'exit 130' INT TERM; else trap 'exit 0' INT TERM; fi

if [ "$mode" = test ]; then
  bin=$2
  admin_url=${DESSINE_TEST_POSTGRES_URL:?the cluster test runs on the PostgreSQL cluster of make test}
else
  step "tools"; bash scripts/setup-tools.sh cluster
  step "build (release)"; build_release
  bin="$CARGO_TARGET_DIR/release/dessine"
  step "PostgreSQL"
  own_pg=1
  admin_url=$(bash scripts/postgres.sh start "$dir/pg" "$(free_port)")
fi
database="cluster_$$"
"$PSQL" -q "$admin_url" -c "CREATE DATABASE $database" >/dev/null
db_url="${admin_url%/*}/$database"
proxy_port=$(free_port) port_a=$(free_port) port_b=$(free_port)
mkdir -p "$dir/mail" "$dir/medias" "$dir/nginx-tmp"
# What both servers share: the database, the images, the mails (a folder standing for the mail
# server), the public address (the proxy's).
common=(DATABASE_URL="$db_url" DESSINE_MEDIA="$dir/medias" DESSINE_MAIL="$dir/mail"
  DESSINE_BASE_URL="http://127.0.0.1:$proxy_port" DESSINE_TRUST_PROXY=1 RUST_LOG="${RUST_LOG:-info}" NO_COLOR=1)
env "${common[@]}" "$bin" migrate >/dev/null
env "${common[@]}" "$bin" seed demo >/dev/null

declare -A server_pid
start_server() { # NAME PORT
  env "${common[@]}" LEPTOS_SITE_ADDR="127.0.0.1:$2" "$bin" serve >>"$dir/server-$1.log" 2>&1 &
  server_pid[$1]=$!
  pids+=($!)
  for _ in $(seq 1 300); do
    [ "$(curl -s "http://127.0.0.1:$2/readyz")" = "prêt" ] && return 0
    kill -0 "${server_pid[$1]}" 2>/dev/null || { echo "server $1 exited at start" >&2; return 1; }
    sleep 0.1
  done
  echo "server $1 not ready after 30 s" >&2
  return 1
}
start_server a "$port_a"
start_server b "$port_b"
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$proxy_port|g" -e "s|@PORT_A@|$port_a|g" -e "s|@PORT_B@|$port_b|g" \
  deploy/nginx-cluster.conf >"$dir/nginx.conf"
/usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" &
pids+=($!)
wait_healthy "http://127.0.0.1:$proxy_port"
url="http://127.0.0.1:$proxy_port"

if [ "$mode" != test ]; then
  steps_table
  printf '\nDeux serveurs (%s, %s) derrière nginx : %s\nJournaux : %s\nCtrl-C arrête tout.\n' \
    "$port_a" "$port_b" "$url" "$dir" >&2
  wait "${server_pid[a]}"
  exit 0
fi

# The journeys run while the servers are stopped one after the other.
e2e_node_modules
phase() { echo "$1" >"$dir/phase"; echo "cluster: $1" >&2; }
phase steady
(cd end2end && VISITORS=2 node cluster.mjs "$url" "$dir") >"$dir/journeys.log" 2>&1 &
journeys=$!
pids+=($journeys)
sleep 6
phase sigterm
kill -TERM "${server_pid[a]}"
status=0
wait "${server_pid[a]}" || status=$?
[ "$status" = 0 ] || { echo "server a exited $status after SIGTERM" >&2; exit 1; }
grep -q "finishing requests in flight" "$dir/server-a.log" || { echo "server a did not stop gracefully" >&2; exit 1; }
sleep 3
phase restart
start_server a "$port_a"
sleep 4
phase sigkill
kill -KILL "${server_pid[b]}"
wait "${server_pid[b]}" 2>/dev/null || true
sleep 6
phase after
sleep 2
touch "$dir/stop"
wait "$journeys"
cat "$dir/journeys.log"

# The counts: nothing failed but forms in flight when a server was killed.
node - "$dir/journeys.json" <<'EOF'
const j = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const c = (name) => j.counts[name] ?? { loads: 0, posts: 0, failed: 0, failedPosts: 0 };
const total = Object.values(j.counts).reduce((n, x) => n + x.loads, 0);
const bad = [];
for (const name of ['steady', 'sigterm', 'restart', 'after']) {
  if (c(name).failed) bad.push(`${c(name).failed} failed during ${name}`);
}
const kill = c('sigkill');
if (kill.failed !== kill.failedPosts) bad.push(`${kill.failed - kill.failedPosts} pages (not forms) failed on SIGKILL`);
// In flight: at most one form per journey worker when the server died.
if (kill.failedPosts > j.visitors + 1) bad.push(`${kill.failedPosts} forms failed on SIGKILL`);
if (c('sigterm').loads < 5 || c('sigkill').loads < 5) bad.push('too few pages during the stops to count');
if (j.registered.length < 5 || j.decisions.answered < 2) bad.push('too few registrations or club decisions');
console.log(`cluster: ${total} pages, SIGTERM ${c('sigterm').loads} pages / ${c('sigterm').failed} failed, ` +
  `SIGKILL ${kill.loads} pages / ${kill.failed} failed (forms), ${j.registered.length} registrations answered, ` +
  `${j.registrationsFailed.length} not, ${j.decisions.answered} club decisions answered, ${j.decisions.failed} not`);
if (bad.length) { console.error(`cluster: ${bad.join('; ')}`); process.exit(1); }
EOF

# The database: each answered registration is there once with its confirmation link, a failed one
# whole or not at all; the club's admins are what its history says.
sql() { "$PSQL" -qAt "$db_url" -c "$1"; }
journey() { node -e "const j = require('$dir/journeys.json'); console.log($1)"; }
tag=$(journey j.tag)
answered=$(journey "j.registered.map((e) => \"'\" + e + \"'\").join(',') || \"''\"")
answered_count=$(journey j.registered.length)
rows=$(sql "SELECT count(*) FROM registrations WHERE email IN ($answered)")
[ "$rows" = "$answered_count" ] || { echo "cluster: $answered_count registrations answered, $rows in the database" >&2; exit 1; }
half=$(sql "SELECT count(*) FROM registrations r WHERE r.email LIKE 'grappe-$tag-%'
  AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.purpose = 'registration_confirm' AND t.subject_id = r.id)")
[ "$half" = 0 ] || { echo "cluster: $half registrations without their confirmation link" >&2; exit 1; }
all=$(sql "SELECT count(*) FROM registrations WHERE email LIKE 'grappe-$tag-%'")
person=$(journey j.person)
consistent=$(sql "SELECT (SELECT count(*) FROM club_history h WHERE h.subject_name = '${person//\'/\'\'}'
    AND h.action = 'admin-added') - (SELECT count(*) FROM club_history h WHERE h.subject_name = '${person//\'/\'\'}'
    AND h.action = 'admin-removed')
  = (SELECT count(*) FROM club_admins a JOIN users u ON u.id = a.user_id WHERE u.name = '${person//\'/\'\'}')")
[ "$consistent" = t ] || { echo "cluster: the club's admins and its history disagree about $person" >&2; exit 1; }
echo "cluster: database checked: $all registrations of the run ($rows answered), each with its link; $person's role matches the club's history" >&2
