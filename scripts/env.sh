# Sourced by the other scripts: where builds and tools live, outside the clone so that a fresh
# checkout (CI) reuses them.
export DESSINE_CACHE="${DESSINE_CACHE:-$HOME/.cache/dessine}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$DESSINE_CACHE/target}"
export PATH="$DESSINE_CACHE/node/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
build_release() {
  # `cargo leptos build` must succeed on its own: `cargo leptos end-to-end` would hide a failure.
  cargo leptos build --release --precompress
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_healthy() {
  for _ in $(seq 1 100); do
    curl -fsS "$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server at $1 did not become healthy" >&2
  return 1
}
