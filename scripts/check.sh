#!/usr/bin/env bash
# The inner loop, for developers: formatting, the server's lints while it builds (dev profile,
# incremental), the browser build's lints, and the SQLite tests whose names match $1 (a feature:
# `make check T=events`; every SQLite test without it). `make test` remains the whole check.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trap 'steps_table' EXIT
filter=${1:-}
step "cargo fmt --check"; cargo fmt --all -- --check
step "clippy (hydrate, wasm32)"
cargo clippy --no-default-features --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings
lint_while_building
step "build + clippy (ssr, dev) and the SQLite tests${filter:+ matching « $filter »}"
cargo nextest run --no-default-features --features ssr \
  -E "not test(/postgres/)${filter:+ and test(/$filter/)}"
