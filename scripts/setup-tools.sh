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
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
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
  cargo +"$tc" install --quiet cargo-leptos --version 0.3.11 --locked --features no_downloads
fi

# Must match the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
  log "cargo install --quiet wasm-bindgen-cli 0.2.130"
  cargo install --quiet wasm-bindgen-cli --version 0.2.130
fi

# binaryen's wasm-opt (used by release builds; Debian's is too old) lives in a cache folder outside
# the clone so CI does not reinstall it for every fresh checkout. Browser-test packages are in end2end/.
NODE_DIR="$CACHE_DIR/node"
mkdir -p "$NODE_DIR"
if [ ! -x "$NODE_DIR/node_modules/.bin/wasm-opt" ]; then
  log "npm install binaryen@132 in $NODE_DIR"
  ( cd "$NODE_DIR" && [ -f package.json ] || echo '{"private":true}' > "$NODE_DIR/package.json"
    cd "$NODE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent \
      binaryen@132 >/dev/null )
fi
log "tools ready"
