#!/usr/bin/env bash
# Sets up what is missing, builds, migrates, loads the demo data into an empty database and
# serves the portal on LEPTOS_SITE_ADDR (default http://127.0.0.1:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
step "tools"; bash scripts/setup-tools.sh run
step "build (release)"; build_release
bin="$CARGO_TARGET_DIR/release/dessine"
step "database"; "$bin" migrate; "$bin" seed demo --if-empty
steps_table
printf "\nserving on http://%s\n" "${LEPTOS_SITE_ADDR:-127.0.0.1:3000}" >&2
exec "$bin" serve
