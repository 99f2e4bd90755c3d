#!/usr/bin/env bash
# Every check of the project, in one command, each step timed (a table at the end):
#   tools, formatting, the server build with clippy (-D warnings) over the library, the binary,
#   the tests and the benchmark, unit and integration tests on SQLite and PostgreSQL (nextest,
#   a time limit per test), the browser build with clippy (wasm32), browser tests in Chromium with
#   JavaScript on and off against the binary the Rust tests ran, the cluster test (two servers
#   behind nginx on PostgreSQL, one stopped and one killed during the journeys: scripts/cluster.sh),
#   the Nu HTML checker on every page type, the open data against its Table Schema (frictionless),
#   and mobile Lighthouse (100 in every category) on one
#   page of each public type.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

pg_dir=/tmp/dessine-test-pg-$$
server_pid=""
finish() {
  local status=$?
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$pg_dir" "${e2e_dir:-}"
  if [ "$status" = 0 ]; then steps_table; else steps_table "failed"; fi
  exit "$status"
}
trap finish EXIT

# One run at a time per build folder: a second run (another clone) waits here, since the dates given
# to the sources below speak of the builds that folder holds.
mkdir -p "$CARGO_TARGET_DIR"
exec 9>"$CARGO_TARGET_DIR/make-test.lock"
flock 9

step "tools"; bash scripts/setup-tools.sh
step "cargo fmt --check"; cargo fmt --all -- --check

lint_while_building
# One build serves the lints, the Rust tests and the browser tests: the release profile for the
# dependencies; for our own crate opt-level 1, compiled incrementally, so that after a one-line
# change only what it touches is compiled again (about 4 1/2 minutes instead of 8). `make run`
# and the benchmark build the release profile as it is.
export CARGO_INCREMENTAL=1
build=(--release --no-default-features --features ssr --config 'profile.release.package.dessine.opt-level=1')
step "server build + clippy (ssr: library, binary, tests, benchmark)"
date_sources_as_built server
cargo build "${build[@]}" --all-targets
sources_built server

step "PostgreSQL throwaway cluster"
export DESSINE_TEST_POSTGRES_URL
DESSINE_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start "$pg_dir" "$(free_port)")
step "unit and integration tests (SQLite and PostgreSQL)"
cargo nextest run "${build[@]}" --profile ci

step "browser build + clippy (hydrate, wasm32), precompressed site"
unset CARGO_INCREMENTAL # the WebAssembly is optimised as a whole (lto)
date_sources_as_built site
map_assets
cargo leptos build --release --precompress --frontend-only
sources_built site

step "browser tests (Chromium, JavaScript on and off)"
e2e_node_modules
e2e_dir=$(mktemp -d)
port=$(free_port)
# The server the Rust tests ran: the same build, with the site cargo-leptos just wrote.
bin="$CARGO_TARGET_DIR/release/dessine"
serve_env=(DATABASE_URL="sqlite://$e2e_dir/e2e.db" DESSINE_MAIL="$e2e_dir/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port")
env "${serve_env[@]}" "$bin" seed demo >/dev/null
env "${serve_env[@]}" DESSINE_BASE_URL="http://127.0.0.1:$port" DESSINE_TRUST_PROXY=1 RUST_LOG=warn "$bin" serve &
server_pid=$!
wait_healthy "http://127.0.0.1:$port"
(cd end2end && DESSINE_E2E_URL="http://127.0.0.1:$port" DESSINE_E2E_MAIL="$e2e_dir/mail" npx playwright test)
step "cluster: two servers behind nginx on PostgreSQL, one stopped, one killed"
bash scripts/cluster.sh test "$bin"
step "valid HTML (Nu checker) on every page type"
bash scripts/check-html.sh "http://127.0.0.1:$port"
step "open data against its schema (frictionless, geojson)"
bash scripts/check-opendata.sh "http://127.0.0.1:$port"
step "Lighthouse (mobile) on every public page type"
(cd end2end && node lighthouse.mjs "http://127.0.0.1:$port")
