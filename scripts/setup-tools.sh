#!/usr/bin/env bash
# Installs every tool dessine needs to build, run and test, only when it is missing.
# Safe to run again: each step checks first. Used by `make run` and `make test`.
set -euo pipefail

CACHE_DIR="${DESSINE_CACHE:-$HOME/.cache/dessine}"
mkdir -p "$CACHE_DIR"
log() { printf '[setup] %s\n' "$*" >&2; }

# `setup-tools.sh run` installs what building and serving need; with no argument, also what the
# tests and the benchmark need (a browser, PostgreSQL, Java for the Nu checker, wrk).
for_tests=1
[ "${1:-}" = run ] || [ "${1:-}" = cluster ] && for_tests=""
need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ -n "$for_tests" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
  command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
  command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
  command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
  python3 -m venv --help >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
fi
# The reverse proxy of `make cluster` and of the cluster test.
if [ -n "$for_tests" ] || [ "${1:-}" = cluster ]; then
  [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # Debian starts the services it installs (nginx on every address, port 80): not here. The
  # project starts its own, on loopback, when it needs them.
  no_start=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && no_start=1
  fi
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
  [ -n "$no_start" ] && rm -f /usr/sbin/policy-rc.d
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || {
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

# Build tools are compiled at opt-level 0, without link-time optimisation, but for the few crates
# that do real work at run time (brotli and deflate for the precompressed files): they run for
# seconds per build, and compiling cargo-leptos (about 730 crates, swc and a vendored OpenSSL among
# them) with its own profile took 14 minutes here, at opt-level 0 about 4.
quick_install() {
  local fast=() crate
  for crate in brotli brotli-decompressor alloc-no-stdlib alloc-stdlib miniz_oxide libflate; do
    fast+=(--config "profile.release.package.$crate.opt-level=3")
  done
  env -u CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=0 \
    cargo install --quiet "${fast[@]}" "$@"
}

if ! cargo leptos --version 2>/dev/null | grep -q '0.3.11'; then
  # Its lock file pins cargo-util-schemas 0.14.2, which declares rustc 1.96 but builds with 1.95.
  log "cargo install cargo-leptos 0.3.11 (a few minutes, once)"
  quick_install --locked --ignore-rust-version cargo-leptos --version 0.3.11 --features no_downloads
fi

# Must match the wasm-bindgen version pinned in Cargo.toml / Cargo.lock. Not --locked: its lock file
# names a webpki-roots release the registry no longer serves.
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
  log "cargo install wasm-bindgen-cli 0.2.130"
  quick_install wasm-bindgen-cli --version 0.2.130
fi

# The machine image brings cargo-nextest; a machine without it gets it from crates.io.
command -v cargo-nextest >/dev/null 2>&1 || {
  log "cargo install cargo-nextest"
  quick_install --locked cargo-nextest
}

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
# The open data's real validators (Python, from PyPI): frictionless reads the CSV against its Table
# Schema, geojson checks the GeoJSON (scripts/check-opendata.sh). A virtual environment in the cache.
PY_DIR="$CACHE_DIR/python"
if [ -n "$for_tests" ] && ! "$PY_DIR/bin/frictionless" --version 2>/dev/null | grep -q '^5.21.0'; then
  log "pip install frictionless 5.21.0, geojson 3.3.0 in $PY_DIR"
  python3 -m venv "$PY_DIR"
  "$PY_DIR/bin/pip" install --quiet --disable-pip-version-check frictionless==5.21.0 geojson==3.3.0
fi
log "tools ready"
