#!/usr/bin/env bash
# Installs every tool dessine needs to build, run and test, only when it is missing.
# Safe to run again: each step checks first. Used by `make run` and `make test`.
set -euo pipefail

CACHE_DIR="${DESSINE_CACHE:-$HOME/.cache/dessine}"
mkdir -p "$CACHE_DIR"
log() { printf '[setup] %s\n' "$*" >&2; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
if [ "${#need_apt[@]}" -gt 0 ] && [ "${1:-}" != "--no-apt" ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || {
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

if ! cargo leptos --version 2>/dev/null | grep -q '0.3.11'; then
  # cargo-leptos 0.3.11 needs rustc >= 1.96 to build; the stable toolchain here is older.
  tc=nightly
  rustup toolchain list | grep -q '^nightly' || { tc=1.96.0; rustup toolchain install 1.96.0 --profile minimal; }
  log "cargo +$tc install cargo-leptos 0.3.11 (about 10 minutes, once)"
  cargo +"$tc" install cargo-leptos --version 0.3.11 --locked --features no_downloads
fi

# Must match the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
  log "cargo install wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi

# Node tools (binaryen's wasm-opt for release builds, playwright-core for browser tests) live in a cache
# folder outside the clone so CI does not reinstall them for every fresh checkout.
NODE_DIR="$CACHE_DIR/node"
mkdir -p "$NODE_DIR"
if [ ! -x "$NODE_DIR/node_modules/.bin/wasm-opt" ] || [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  log "npm install binaryen@132 playwright-core in $NODE_DIR"
  ( cd "$NODE_DIR" && [ -f package.json ] || echo '{"private":true}' > "$NODE_DIR/package.json"
    cd "$NODE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent \
      binaryen@132 playwright-core@1 >/dev/null )
fi
log "tools ready"
