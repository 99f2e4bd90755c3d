#!/usr/bin/env bash
# Every check of the project, in one command: formatting, clippy (server and browser builds),
# unit and integration tests on SQLite and PostgreSQL, then browser tests in Chromium with
# JavaScript on and off against the release build, the Nu HTML checker on every page type, and
# mobile Lighthouse (100 in every category) on one page of each public type.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

pg_dir=/tmp/dessine-test-pg-$$
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$pg_dir" "${e2e_dir:-}"
}
trap cleanup EXIT

step "tools"; bash scripts/setup-tools.sh
step "cargo fmt --check"; cargo fmt --all -- --check
step "clippy (ssr)"; cargo clippy --no-default-features --features ssr --all-targets -- -D warnings
step "clippy (hydrate, wasm32)"
cargo clippy --no-default-features --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

step "PostgreSQL throwaway cluster"
export DESSINE_TEST_POSTGRES_URL
DESSINE_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start "$pg_dir" "$(free_port)")
step "unit and integration tests (SQLite and PostgreSQL)"
# A hung test must fail the run, not eat the CI budget.
timeout 900 cargo test --release --no-default-features --features ssr

step "release build"; build_release
step "browser tests (Chromium, JavaScript on and off)"
e2e_dir=$(mktemp -d)
port=$(free_port)
DATABASE_URL="sqlite://$e2e_dir/e2e.db" DESSINE_MAIL="$e2e_dir/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  "$CARGO_TARGET_DIR/release/dessine" seed demo >/dev/null
DATABASE_URL="sqlite://$e2e_dir/e2e.db" DESSINE_MAIL="$e2e_dir/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  DESSINE_BASE_URL="http://127.0.0.1:$port" DESSINE_TRUST_PROXY=1 RUST_LOG=warn "$CARGO_TARGET_DIR/release/dessine" serve &
server_pid=$!
wait_healthy "http://127.0.0.1:$port"
(cd end2end && npm ci --no-audit --no-fund --silent && DESSINE_E2E_URL="http://127.0.0.1:$port" DESSINE_E2E_MAIL="$e2e_dir/mail" npx playwright test)
step "valid HTML (Nu checker) on every page type"
bash scripts/check-html.sh "http://127.0.0.1:$port"
step "Lighthouse (mobile) on every public page type"
(cd end2end && node lighthouse.mjs "http://127.0.0.1:$port")
step "all checks passed"
