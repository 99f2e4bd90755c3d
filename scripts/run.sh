#!/usr/bin/env bash
# Sets up what is missing, builds, migrates, loads the demo data into an empty database and
# serves the portal on LEPTOS_SITE_ADDR (default http://127.0.0.1:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
step "tools"; bash scripts/setup-tools.sh
step "build (release)"; build_release
bin="$CARGO_TARGET_DIR/release/dessine"
step "database"; "$bin" migrate; "$bin" seed demo --if-empty
step "serve"; exec "$bin" serve
